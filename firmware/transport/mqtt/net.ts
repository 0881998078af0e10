// The socket API the client needs: what Espruino's `require("net")` gives (byte strings in and
// out), so the board passes its own module and tests or the simulator pass a stand-in.

/** A TCP socket as Espruino's `net` module gives it: byte strings in and out. */
export interface MqttSocket {
  write(data: string): void;
  end(): void;
  on(event: "data", fn: (data: string) => void): void;
  on(event: "close" | "end", fn: () => void): void;
  on(event: "error", fn: (err: unknown) => void): void;
}

/** The part of `require("net")` the client uses. */
export interface MqttNet {
  connect(options: { host: string; port: number }, onConnect: () => void): MqttSocket;
}
