import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginOptions } from "../../host/broker/login.ts";
import { mosquittoMissing, startMosquitto, type Service } from "../../scripts/services/local.ts";

// The host reaches Mosquitto over TLS (mqtts://) with the CA given by --ca, and refuses a broker
// whose certificate that CA did not sign. The CA and the broker certificate are made here.

const OPENSSL = "/usr/bin/openssl";
const absent = mosquittoMissing() ?? (existsSync(OPENSSL) ? undefined : `${OPENSSL} is not installed`);
if (absent !== undefined) console.warn(`SKIPPED TLS to the broker: ${absent}`);

function makeCa(dir: string, name: string): { crt: string; key: string } {
  const crt = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(OPENSSL, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${name}`, "-keyout", key, "-out", crt], { stdio: "pipe" });
  return { crt, key };
}

describe.skipIf(absent !== undefined)("TLS from the host to Mosquitto", () => {
  let dir: string;
  let broker: Service & { tlsUrl?: string };
  let ca: { crt: string };
  let stranger: { crt: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cellrig-tls-"));
    ca = makeCa(dir, "cellrig-test-ca");
    stranger = makeCa(dir, "another-ca");
    const key = join(dir, "broker.key");
    const csr = join(dir, "broker.csr");
    const crt = join(dir, "broker.crt");
    const ext = join(dir, "san.ext");
    execFileSync("sh", ["-c", `printf 'subjectAltName=IP:127.0.0.1' > ${ext}`]);
    execFileSync(OPENSSL, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", csr], { stdio: "pipe" });
    execFileSync(OPENSSL, ["x509", "-req", "-in", csr, "-CA", ca.crt, "-CAkey", join(dir, "cellrig-test-ca.key"), "-CAcreateserial", "-days", "1", "-extfile", ext, "-out", crt], { stdio: "pipe" });
    // Mosquitto, started as root, drops to its own user, which must read its key
    chmodSync(dir, 0o755);
    chmodSync(key, 0o644);
    broker = await startMosquitto({ tls: { certfile: crt, keyfile: key } });
  }, 60_000);

  afterAll(async () => {
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("connects over mqtts with the CA file and carries a message", async () => {
    const client = await mqtt.connectAsync(broker.tlsUrl!, { ...loginOptions({ caFile: ca.crt }), reconnectPeriod: 0, protocolVersion: 4 });
    const got = new Promise<string>((resolve) => client.on("message", (_t, p) => resolve(p.toString())));
    await client.subscribeAsync("cellrig/v1/r/b/birth", { qos: 1 });
    await client.publishAsync("cellrig/v1/r/b/birth", "over tls", { qos: 1 });
    expect(await got).toBe("over tls");
    await client.endAsync();
  });

  it("refuses a broker whose certificate the given CA did not sign, naming the reason", async () => {
    await expect(mqtt.connectAsync(broker.tlsUrl!, { ...loginOptions({ caFile: stranger.crt }), reconnectPeriod: 0, protocolVersion: 4 })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
  });

  it("names an unreadable CA file", () => {
    expect(() => loginOptions({ caFile: join(dir, "missing.pem") })).toThrow(/broker CA file .*missing\.pem cannot be read/);
  });
});
