import { createServer, type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from "aedes";
import { mayPublish, maySubscribe, type BrokerAccess, type BrokerAccount } from "./access.ts";

export interface EmbeddedBrokerOptions {
  /** Interface to listen on; 127.0.0.1 keeps the broker off the network. */
  host?: string;
  /** TCP port; 0 picks a free one (tests). */
  port?: number;
  /**
   * Accounts and their rights (access.ts): without them the broker lets anyone in, which suits a
   * bench on loopback; with them a client needs a user name and password, a board publishes only
   * its own messages and receives only its own commands.
   */
  access?: BrokerAccess;
}

export interface EmbeddedBroker {
  /** `mqtt://host:port` for clients. */
  url: string;
  port: number;
  /**
   * Serves one client on an in-process stream instead of a TCP socket (a simulated board in the
   * same process), saving the system calls of a loopback connection. Throws ECONNREFUSED once the
   * broker is closed.
   */
  accept(stream: Duplex): void;
  close(): Promise<void>;
}

/** An in-process MQTT 3.1.1 broker (aedes, in-memory persistence) for a single host with no broker of its own. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? "127.0.0.1";
  const aedes = await Aedes.createBroker(options.access === undefined ? {} : accessHooks(options.access));
  const sockets = new Set<Duplex>();
  let closed = false;
  const serve = (socket: Duplex) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    aedes.handle(socket);
  };
  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      aedes.close();
      const hint = err.code === "EADDRINUSE" ? " (another broker is running there; stop it or choose another port)" : "";
      reject(new Error(`MQTT broker could not listen on ${host}:${options.port ?? 1883}: ${err.message}${hint}`));
    });
    server.listen(options.port ?? 1883, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `mqtt://${urlHost}:${port}`,
    port,
    accept: (stream) => {
      if (closed) throw Object.assign(new Error(`MQTT broker on port ${port} is closed`), { code: "ECONNREFUSED" });
      serve(stream);
    },
    close: async () => {
      closed = true;
      // Clients reconnect forever; dropping their sockets lets server.close() finish.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** MQTT CONNACK 0x04: bad user name or password. */
const BAD_CREDENTIALS = 4 as AuthenticateError["returnCode"];

const accountOf = new WeakMap<Client, BrokerAccount>();

function accessHooks(access: BrokerAccess): AedesOptions {
  return {
    authenticate(client, username, password, done) {
      const account = access.authenticate(username, password);
      if (account === undefined) {
        const error = new Error(`broker refused client "${client.id}": unknown user "${username ?? ""}" or wrong password`) as AuthenticateError;
        error.returnCode = BAD_CREDENTIALS;
        return done(error, false);
      }
      accountOf.set(client, account);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      // a null client is the broker itself ($SYS)
      if (client === null) return done(null);
      const account = accountOf.get(client);
      if (account === undefined || !mayPublish(account, packet.topic)) return done(new Error(`user "${account?.username ?? "?"}" may not publish on ${packet.topic}`));
      done(null);
    },
    authorizeSubscribe(client, subscription, done) {
      const account = accountOf.get(client);
      // a null subscription is refused in the SUBACK (0x80) and the client stays connected
      done(null, account !== undefined && maySubscribe(account, subscription.topic) ? subscription : null);
    },
  };
}
