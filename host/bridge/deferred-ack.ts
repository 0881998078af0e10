import type { IPublishPacket, MqttClient } from "mqtt";

/** A received QoS 1 message whose PUBACK is held back until its rows are durable. */
export interface HeldAck {
  /** Which connection the message arrived on; a PUBACK only means something on that connection. */
  connection: number;
  messageId: number;
}

/**
 * mqtt.js hands messages over one at a time through `handleMessage` and sends the PUBACK when its
 * callback succeeds. Waiting there for a commit would allow one message per commit, so the
 * callback is given this marker instead: mqtt.js then sends no PUBACK and moves on, and the PUBACK
 * is sent later by `release()`, once the message's rows are committed.
 */
export const ACK_DEFERRED = new Error("PUBACK deferred until the message is durable");

/** The part of mqtt.js's client that writes one packet; it has no public call for a PUBACK. */
interface PacketWriter {
  _sendPacket(packet: { cmd: "puback"; messageId: number }, callback?: (err?: Error) => void, cbStorePut?: undefined, noStore?: boolean): void;
}

/**
 * Holds PUBACKs for QoS 1 messages and sends them when told. A PUBACK held across a reconnect is
 * dropped, never sent on the new connection: the broker redelivers that message (same session) and
 * its packet id may by then name another message. The redelivered copy is stored idempotently.
 */
export class DeferredAcks {
  private connection = 0;
  private readonly client: MqttClient;

  constructor(client: MqttClient) {
    this.client = client;
    const nextConnection = () => {
      this.connection++;
    };
    client.on("connect", nextConnection);
    client.on("close", nextConnection);
  }

  /** Returns what `release` needs to acknowledge `packet` later; undefined for QoS 0, which has no PUBACK. */
  hold(packet: IPublishPacket): HeldAck | undefined {
    if (packet.qos !== 1 || packet.messageId === undefined) return undefined;
    return { connection: this.connection, messageId: packet.messageId };
  }

  /** Sends the PUBACKs of messages from the current connection; returns how many were sent. */
  release(acks: readonly (HeldAck | undefined)[]): number {
    if (!this.client.connected) return 0;
    const writer = this.client as unknown as PacketWriter;
    let sent = 0;
    for (const ack of acks) {
      if (ack === undefined || ack.connection !== this.connection) continue;
      writer._sendPacket({ cmd: "puback", messageId: ack.messageId }, undefined, undefined, true);
      sent++;
    }
    return sent;
  }

  /**
   * Drops the connection so the broker redelivers every message not yet acknowledged; used when a
   * commit failed. mqtt.js reconnects by itself.
   */
  redeliver(): void {
    this.client.stream?.destroy();
  }
}
