import build from "cellrig:build";
import { parseCommand } from "../../protocol/wire/command.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { topic, type MessageKind } from "../../protocol/wire/topics.ts";
import { PROTOCOL_VERSION } from "../../protocol/wire/data-frame.ts";
import { MqttClient } from "./mqtt/client.ts";
import { commandGuard } from "../auth.ts";
import type { Link, LinkOptions } from "./link.ts";

/** Publishes awaiting PUBACK at once: the store's records (firmware/uplink/uplink.ts), a gap and a birth. */
const WINDOW = 6;
/** Topic level of each kind the link sends, by kind number (link.ts). */
const KIND_NAMES = ["", "data", "alarm", "ack", "gap", "birth", "health"] as MessageKind[];

/**
 * MQTT 3.1.1 to the configured broker: the death message as the last will, the board's `cmd` topic
 * subscribed, QoS 1 for reliable messages and retain for the birth.
 */
export function openLink(o: LinkOptions): Link {
  const broker = o.config.broker;
  const rig = o.config.rig;
  const death = new CborWriter(32);
  writeValue(death, { b: o.boot, v: PROTOCOL_VERSION });
  const cmdTopic = topic(rig, o.board, "cmd");
  const client = new MqttClient({
    host: broker.host,
    port: broker.port,
    clientId: "cellrig-" + rig + "-" + o.board,
    username: broker.username,
    password: broker.password,
    keepAlive_s: broker.keepalive_s ? broker.keepalive_s : 30,
    will: { topic: topic(rig, o.board, "death"), payload: new Uint8Array(death.bytes()), qos: 1, retain: true },
    net: require("net"),
    now_s: getTime,
    window: WINDOW,
    // a birth with its channels and health is the largest packet header the board sends
    txCapacity_B: 256,
  });
  // Commands arrive through the broker, which is not trusted with the rig: each carries the tag
  // (docs/PROTOCOL.md "Command authentication"). Serial boards' commands are checked by the gateway.
  const guard = commandGuard(o.board, o.boot);
  client.subscribe(cmdTopic, 1);
  client.onMessage(function (name, payload) {
    if (name !== cmdTopic) return;
    const parsed = parseCommand(payload);
    if (!parsed.ok) return o.refuse(parsed.id, parsed.code, parsed.message);
    const refused = guard(parsed.command);
    if (refused) o.refuse(parsed.command.id, refused, "command not authenticated: " + refused);
    else o.command(parsed.command);
  });
  client.onState(function (state) {
    // the client forgets what was in flight when the link drops: the store publishes it again
    if (state === "connected") o.up();
    else o.down();
  });
  client.onAck(o.acked);
  return {
    start: function () {
      if (build.board.transport === "wifi" && o.config.wifi) joinWifi(o.config.wifi, client, o.flag);
      else client.connect();
    },
    send: function (kind, payload, reliable) {
      return client.publish(topic(rig, o.board, KIND_NAMES[kind]), payload, reliable ? 1 : 0, kind === 5);
    },
  };
}

/** Seconds between attempts to join the access point. */
const WIFI_RETRY_s = 10;

/**
 * Joins the configured access point, retrying until it succeeds, then connects; without a wifi
 * section the board joins the network it saved (require("Wifi").save()). Each refusal is printed and
 * flagged for health (`WIFI_auth_fail`), which the first health report after joining carries.
 */
function joinWifi(wifi: { ssid: string; password?: string }, client: MqttClient, flag: (name: string) => void): void {
  const attempt = function () {
    require("Wifi").connect(wifi.ssid, { password: wifi.password }, function (err) {
      if (!err) return client.connect();
      flag(("WIFI_" + err).substring(0, 32));
      print("cellrig: Wi-Fi " + wifi.ssid + ": " + err + " (check wifi.ssid and the password); retrying in " + WIFI_RETRY_s + " s");
      setTimeout(attempt, WIFI_RETRY_s * 1000);
    });
  };
  attempt();
}
