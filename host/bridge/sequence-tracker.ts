/** Sequence figures of one (board, boot) stream. */
export interface SequenceStats {
  board: string;
  boot: number;
  /** Distinct frames seen. */
  frames: number;
  /** Frames skipped over and not (yet) arrived. */
  missing: number;
  /** Frames seen again (MQTT QoS 1 redelivery). */
  duplicates: number;
  /** Frames that arrived after a later one. */
  late: number;
  /** Frames the board reported lost in `gap` messages, less those that arrived all the same. */
  reported: number;
  /** Sequence number expected next. */
  next: number;
}

export type SequenceVerdict = "in_order" | "after_gap" | "duplicate" | "late";

interface Stream extends SequenceStats {
  recent: Set<number>;
  recentOrder: number[];
}

const SEQ_MODULUS = 4294967296;
/** How many recent sequence numbers per stream are remembered to recognise duplicates. */
const RECENT_WINDOW = 1024;
/** Streams kept; the oldest is forgotten first (boards reboot, each boot is a new stream). */
const MAX_STREAMS = 4096;

/** Counts gaps, duplicates and late frames per (board, boot); sequence numbers wrap at 2^32. */
export class SequenceTracker {
  private readonly streams = new Map<string, Stream>();

  /** A birth announces the sequence number of the boot's next frame; a repeated birth changes nothing. */
  begin(board: string, boot: number, nextSeq: number): void {
    if (!this.streams.has(key(board, boot))) this.create(board, boot, nextSeq);
  }

  observe(board: string, boot: number, seq: number): SequenceVerdict {
    const stream = this.streams.get(key(board, boot)) ?? this.create(board, boot, seq);
    if (stream.recent.has(seq)) {
      stream.duplicates++;
      return "duplicate";
    }
    remember(stream, seq);
    stream.frames++;
    // Signed distance modulo 2^32, so a wrap from 4294967295 to 0 is one step forward.
    const ahead = (seq - stream.next) | 0;
    if (ahead < 0) {
      stream.late++;
      stream.missing = Math.max(0, stream.missing - 1);
      return "late";
    }
    stream.next = (seq + 1) % SEQ_MODULUS;
    if (ahead === 0) return "in_order";
    stream.missing += ahead;
    return "after_gap";
  }

  /**
   * A `gap` message: the board says frames `seq` … `seq + frames − 1` of (board, boot) are lost. A
   * `power` gap may name frames that reached the host before the board lost them from RAM (and
   * numbers it never used): those seen recently are not counted.
   */
  report(board: string, boot: number, seq: number, frames: number): void {
    const stream = this.streams.get(key(board, boot)) ?? this.create(board, boot, (seq + frames) % SEQ_MODULUS);
    let seen = 0;
    for (const s of stream.recent) if ((s - seq) >>> 0 < frames) seen++;
    stream.reported += frames - seen;
  }

  /** The sequence number expected next from (board, boot), if the stream is known. */
  next(board: string, boot: number): number | undefined {
    return this.streams.get(key(board, boot))?.next;
  }

  stats(): SequenceStats[] {
    return [...this.streams.values()].map(({ board, boot, frames, missing, duplicates, late, reported, next }) => ({
      board,
      boot,
      frames,
      missing,
      duplicates,
      late,
      reported,
      next,
    }));
  }

  private create(board: string, boot: number, next: number): Stream {
    if (this.streams.size >= MAX_STREAMS) {
      const oldest = this.streams.keys().next().value;
      if (oldest !== undefined) this.streams.delete(oldest);
    }
    const stream: Stream = { board, boot, frames: 0, missing: 0, duplicates: 0, late: 0, reported: 0, next, recent: new Set(), recentOrder: [] };
    this.streams.set(key(board, boot), stream);
    return stream;
  }
}

function key(board: string, boot: number): string {
  return `${board}/${boot}`;
}

function remember(stream: Stream, seq: number): void {
  stream.recent.add(seq);
  stream.recentOrder.push(seq);
  if (stream.recentOrder.length > RECENT_WINDOW) stream.recent.delete(stream.recentOrder.shift()!);
}
