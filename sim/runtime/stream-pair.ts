import { Duplex } from "node:stream";

/**
 * Two connected in-memory byte streams standing in for the two ends of a TCP connection, for a
 * peer that runs in this process (the embedded broker): what one end writes, the other reads, with
 * no socket, no system call and no event-loop turn in between. Each end behaves as a net.Socket does
 * for its user: a write after the peer has gone fails with EPIPE, end() sends a FIN (the peer reads
 * 'end' and closes its side too), and destroy() on one end is seen by the other as the peer closing.
 *
 * Bytes cross on a microtask rather than inside the writer's call, so neither end's code ever runs
 * inside the other's write, as with a real connection.
 */
export function streamPair(): [StreamEnd, StreamEnd] {
  const a = new StreamEnd();
  const b = new StreamEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

export class StreamEnd extends Duplex {
  peer!: StreamEnd;
  private finSent = false;

  constructor() {
    // As net.Socket: when the peer ends, this end ends its writing side too.
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    // Data is pushed by the peer's writes; there is nothing to pull.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.peerGone()) return done(pipeError());
    this.toPeer(chunk);
    done();
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    if (this.peerGone()) return done(pipeError());
    this.toPeer(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)));
    done();
  }

  override _final(done: (err?: Error | null) => void): void {
    this.toPeer(null);
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    // The peer reads the end of the stream, as after a FIN; it closes its own side in turn.
    this.toPeer(null);
    done(err);
  }

  private peerGone(): boolean {
    return this.peer.destroyed;
  }

  /** Hands bytes, or the end of the stream (null), to the peer's reading side. */
  private toPeer(chunk: Buffer | null): void {
    if (this.finSent) return;
    if (chunk === null) this.finSent = true;
    const peer = this.peer;
    queueMicrotask(() => {
      if (!peer.destroyed) peer.push(chunk);
    });
  }
}

function pipeError(): Error {
  return Object.assign(new Error("write after the peer closed the connection"), { code: "EPIPE" });
}
