import { describe, expect, it } from "vitest";
import { Quarantine } from "../../host/bridge/quarantine.ts";

describe("Quarantine", () => {
  it("counts by code and keeps only the most recent rejections", () => {
    const quarantine = new Quarantine(3, () => 1_700_000_000_000);
    for (let i = 0; i < 5; i++) quarantine.add(`t/${i}`, Uint8Array.from([i, 0xff]), { code: i % 2 === 0 ? "cbor" : "schema", message: `m${i}`, path: "/b" });
    expect(quarantine.countsByCode()).toEqual({ cbor: 3, schema: 2 });
    expect(quarantine.recent().map((r) => r.topic)).toEqual(["t/2", "t/3", "t/4"]);
    expect(quarantine.recent()[2]).toEqual({ at_ms: 1_700_000_000_000, topic: "t/4", code: "cbor", message: "m4", path: "/b", bytes: 2, head_hex: "04ff" });
  });

  it("keeps only the head of a large payload", () => {
    const quarantine = new Quarantine();
    quarantine.add("t", new Uint8Array(10_000), { code: "too_large", message: "big" });
    expect(quarantine.recent()[0]).toMatchObject({ bytes: 10_000, head_hex: "00".repeat(64) });
  });
});
