import build from "cellrig:build";
import { FRAME_ALIVE, FRAME_CMD, FRAME_DELIVERED, FRAME_HELLO, decodeFrame, encodeFrame, frameId } from "../../protocol/wire/serial-frame.ts";
import type { Link, LinkOptions } from "./link.ts";
import type { Command } from "../../protocol/wire/command.ts";

// Framed messages to a gateway over the board's serial port (docs/PROTOCOL.md "Serial transport"):
// Bluetooth LE UART on ble-uart boards, USB on usb-serial ones. The console moves to a loopback so
// nothing but frames goes out on the port. The board keeps the link alive: every ALIVE_s it sends
// FRAME_ALIVE and the gateway answers; without a word from the gateway for LINK_TIMEOUT_s, or
// without a delivery while messages wait for one, the link is down and the store keeps everything.

const ALIVE_s = 5;
const LINK_TIMEOUT_s = 3 * ALIVE_s;
/** A received frame longer than this is not one of the gateway's (a command is at most 512 bytes as CBOR). */
const RX_MAX_BYTES = 1024;

export function openLink(o: LinkOptions): Link {
  const port = build.board.transport === "ble-uart" ? Bluetooth : USB;
  let rx = "";
  let up = false;
  let heard_s = 0;
  /** Reliable frames sent and not yet delivered, and when the count last moved. */
  let waiting = 0;
  let moved_s = 0;
  let lastId = 0;

  function write(type: number, id: number, payload: Uint8Array): void {
    port.write(E.toString(encodeFrame(type, id, payload, E.CRC32)));
  }
  function down(): void {
    if (!up) return;
    up = false;
    waiting = 0;
    o.down();
  }
  function received(body: Uint8Array): void {
    const type = body[0];
    heard_s = getTime();
    if (type === FRAME_HELLO) down();
    if (!up) {
      up = true;
      o.up();
    }
    if (type === FRAME_DELIVERED && waiting > 0) {
      waiting--;
      moved_s = heard_s;
      o.acked(frameId(body));
    }
    if (type === FRAME_CMD) command(E.toString(body.subarray(3)));
  }
  // The gateway has checked the command as the MQTT link would (host/gateway); a frame with a good
  // CRC that is not such a command comes from a faulty gateway and is refused, not thrown on.
  function command(text: string): void {
    let cmd: Command | undefined;
    try {
      cmd = JSON.parse(text);
    } catch (e) {
      // refused below
    }
    if (cmd && typeof cmd.id === "number" && typeof cmd.op === "string") o.command(cmd);
    else o.refuse(cmd && typeof cmd.id === "number" ? cmd.id : -1, "cbor", "command frame is not a checked command: " + text.substr(0, 40));
  }

  return {
    start: function () {
      LoopbackA.setConsole(true);
      port.on("data", function (data) {
        rx += data;
        let end = rx.indexOf("\0");
        while (end >= 0) {
          const body = decodeFrame(E.toUint8Array(rx.substr(0, end)), E.CRC32);
          rx = rx.substr(end + 1);
          if (body) received(body);
          end = rx.indexOf("\0");
        }
        if (rx.length > RX_MAX_BYTES) rx = "";
      });
      setInterval(function () {
        const now = getTime();
        if (now - heard_s > LINK_TIMEOUT_s || (waiting > 0 && now - moved_s > LINK_TIMEOUT_s)) down();
        write(FRAME_ALIVE, 0, new Uint8Array(0));
      }, ALIVE_s * 1000);
      write(FRAME_ALIVE, 0, new Uint8Array(0));
    },
    send: function (kind, payload, reliable) {
      if (!up) return -1;
      let id = 0;
      if (reliable) {
        lastId = lastId === 65535 ? 1 : lastId + 1;
        id = lastId;
        if (waiting++ === 0) moved_s = getTime();
      }
      write(kind, id, payload);
      return id;
    },
  };
}
