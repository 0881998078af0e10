/**
 * Encoded frames waiting for the broker's PUBACK, oldest first. A frame leaves only when
 * acknowledged; when the box is full the oldest is dropped and counted, never silently.
 */
export class Outbox {
  private readonly capacity: number;
  private readonly frames: Uint8Array[] = [];
  /** Packet id a frame was handed to the MQTT client under, or -1 while unsent. */
  private readonly packetIds: number[] = [];
  dropped = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.frames.length;
  }

  push(frame: Uint8Array): void {
    if (this.frames.length === this.capacity) {
      this.frames.shift();
      this.packetIds.shift();
      this.dropped++;
    }
    this.frames.push(frame);
    this.packetIds.push(-1);
  }

  /** Hands unsent frames to `send` in order until it refuses one (returns -1). */
  pump(send: (frame: Uint8Array) => number): void {
    for (let i = 0; i < this.frames.length; i++) {
      if (this.packetIds[i] >= 0) continue;
      const id = send(this.frames[i]);
      if (id < 0) return;
      this.packetIds[i] = id;
    }
  }

  acknowledge(packetId: number): void {
    const i = this.packetIds.indexOf(packetId);
    if (i < 0) return;
    this.frames.splice(i, 1);
    this.packetIds.splice(i, 1);
  }
}
