// The QoS 1 publishes that await their PUBACK, in a fixed number of slots. Slots hold references
// to the callers' payloads, not copies: a caller leaves a payload untouched until its PUBACK is
// reported, and its own buffer is the only copy of the data on the board.

export class InFlightWindow {
  readonly size: number;
  private readonly ids: number[] = [];
  private readonly topics: string[] = [];
  private readonly payloads: (Uint8Array | undefined)[] = [];
  private readonly retains: boolean[] = [];
  /** When the slot was last written to a socket, or -1 if it never was. */
  private readonly sentAt_s: number[] = [];
  /** Publish order, so re-sends keep the order the caller published in. */
  private readonly order: number[] = [];
  private nextOrder = 0;
  count = 0;

  constructor(size: number) {
    this.size = size;
    for (let i = 0; i < size; i++) {
      this.ids.push(0);
      this.topics.push("");
      this.payloads.push(undefined);
      this.retains.push(false);
      this.sentAt_s.push(-1);
      this.order.push(-1);
    }
  }

  has(packetId: number): boolean {
    return this.ids.indexOf(packetId) >= 0;
  }

  /** Stores a publish; returns its slot, or -1 when every slot is taken. */
  add(packetId: number, topic: string, payload: Uint8Array, retain: boolean): number {
    const slot = this.ids.indexOf(0);
    if (slot < 0) return -1;
    this.ids[slot] = packetId;
    this.topics[slot] = topic;
    this.payloads[slot] = payload;
    this.retains[slot] = retain;
    this.sentAt_s[slot] = -1;
    this.order[slot] = this.nextOrder++;
    this.count++;
    return slot;
  }

  /** Frees the slot of an acknowledged packet; false if the id was not in flight. */
  release(packetId: number): boolean {
    const slot = this.ids.indexOf(packetId);
    if (slot < 0) return false;
    this.ids[slot] = 0;
    this.topics[slot] = "";
    this.payloads[slot] = undefined;
    this.order[slot] = -1;
    this.count--;
    return true;
  }

  /** Empties every slot: the caller takes over re-sending what was in flight. */
  clear(): void {
    for (let i = 0; i < this.size; i++) {
      this.ids[i] = 0;
      this.topics[i] = "";
      this.payloads[i] = undefined;
      this.sentAt_s[i] = -1;
      this.order[i] = -1;
    }
    this.count = 0;
  }

  /** Occupied slots, oldest publish first (the window is small: a selection pass per slot). */
  slotsInOrder(): number[] {
    const slots: number[] = [];
    let last = -1;
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.size; i++) {
        const o = this.order[i];
        if (o > last && (best < 0 || o < this.order[best])) best = i;
      }
      if (best < 0) return slots;
      slots.push(best);
      last = this.order[best];
    }
  }

  packetId(slot: number): number {
    return this.ids[slot];
  }

  topic(slot: number): string {
    return this.topics[slot];
  }

  payload(slot: number): Uint8Array {
    return this.payloads[slot] as Uint8Array;
  }

  retain(slot: number): boolean {
    return this.retains[slot];
  }

  sentAt(slot: number): number {
    return this.sentAt_s[slot];
  }

  markSent(slot: number, now_s: number): void {
    this.sentAt_s[slot] = now_s;
  }
}
