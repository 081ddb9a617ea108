import os from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/**
 * [Note: Parallel coarse scan] The coarse scan is the one cost of a search that grows with the
 * library: ~45 ns a photo on one core, 45 ms at a million. ScanPool splits it across worker threads
 * that read the codes, the matches and the lookup table from shared memory (SharedArrayBuffer) and
 * write their share of the scores in place; the calling thread scores its own share, then blocks on
 * Atomics until the workers are done, so search() stays synchronous. The workers run this module's
 * scoreCoarseRange itself (its source is their program, so no separate file has to be bundled),
 * are unref()'d so they never keep the process alive, and any failure (a worker that cannot start,
 * throws, or stalls) turns the pool off and the calling thread scores the rest: slower, never wrong.
 */
export class ScanPool {
  private readonly workers: ScanWorker[];
  private table = sharedInt32Array(0);

  constructor(threads: number) {
    this.workers = [];
    try {
      for (let i = 0; i < threads; i++) this.workers.push(new ScanWorker());
    } catch {
      this.stop();
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  /**
   * scores[i] = coarse score of the code of slot matches[i], for i < count. `signs`, `matches` and
   * `scores` must live in SharedArrayBuffers for the workers to share them; otherwise (or for a
   * small scan) the calling thread does it all.
   */
  scoreCoarse(
    signs: Int32Array,
    words: number,
    table: Int32Array,
    matches: Int32Array,
    count: number,
    scores: Int32Array,
  ): void {
    const shared = [signs, matches, scores].every((a) => a.buffer instanceof SharedArrayBuffer);
    if (!shared || this.workers.length === 0 || count < MIN_PARALLEL_SCAN) {
      scoreCoarseRange(signs, words, table, matches, scores, 0, count);
      return;
    }
    const sharedTable = this.shareTable(table);
    const share = Math.ceil(count / (this.workers.length + 1));
    const ranges = this.workers.map((_, i): [number, number] => [
      (i + 1) * share,
      Math.min(count, (i + 2) * share),
    ]);
    this.workers.forEach((worker, i) => {
      const [from, to] = ranges[i]!;
      worker.start({ signs, words, table: sharedTable, matches, scores, from, to });
    });
    scoreCoarseRange(signs, words, table, matches, scores, 0, Math.min(count, share));
    let failed = false;
    this.workers.forEach((worker, i) => {
      if (worker.finish()) return;
      failed = true;
      const [from, to] = ranges[i]!;
      scoreCoarseRange(signs, words, table, matches, scores, from, to);
    });
    if (failed) this.stop();
  }

  private shareTable(table: Int32Array): Int32Array {
    if (this.table.length !== table.length) {
      this.table = sharedInt32Array(table.length);
    }
    this.table.set(table);
    return this.table;
  }

  private stop(): void {
    for (const worker of this.workers.splice(0)) worker.terminate();
  }
}

/** Below this many codes a scan takes < 1 ms: not worth waking the workers. */
const MIN_PARALLEL_SCAN = 16_384;
const MAX_SCAN_THREADS = 3;
/** A worker that has not answered in this time is presumed dead (a scan share takes ~20 ms). */
const WORKER_TIMEOUT_MS = 2000;

let sharedPool: ScanPool | undefined;

/** An Int32Array in shared memory, which the pool's workers see rather than copy. */
export function sharedInt32Array(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/** The process-wide pool: one thread per spare core, at most MAX_SCAN_THREADS. */
export function scanPool(): ScanPool {
  sharedPool ??= new ScanPool(Math.min(MAX_SCAN_THREADS, os.availableParallelism() - 1));
  return sharedPool;
}

/**
 * Sum of the coarse table's entries for the sign plane's bytes (four per 32-bit word), for the
 * matches in [from, to). Self-contained: workers run its source text.
 */
export function scoreCoarseRange(
  signs: Int32Array,
  words: number,
  table: Int32Array,
  matches: Int32Array,
  scores: Int32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const offset = matches[i]! * words;
    let score = 0;
    for (let word = 0, base = 0; word < words; word++, base += 1024) {
      const bits = signs[offset + word]!;
      score =
        (score +
          table[base + (bits & 255)]! +
          table[base + 256 + ((bits >>> 8) & 255)]! +
          table[base + 512 + ((bits >>> 16) & 255)]! +
          table[base + 768 + (bits >>> 24)]!) |
        0;
    }
    scores[i] = score;
  }
}

interface ScanJob {
  signs: Int32Array;
  words: number;
  table: Int32Array;
  matches: Int32Array;
  scores: Int32Array;
  from: number;
  to: number;
}

/** control[REQUEST] counts jobs sent; the worker copies it to control[DONE] (or -1 on failure). */
const REQUEST = 0;
const DONE = 1;

const WORKER_PROGRAM = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const scoreCoarseRange = ${scoreCoarseRange.toString()};
const { control, port } = workerData;
let seen = 0;
for (;;) {
  Atomics.wait(control, ${REQUEST}, seen);
  seen = Atomics.load(control, ${REQUEST});
  let done = seen;
  try {
    const job = receiveMessageOnPort(port).message;
    scoreCoarseRange(job.signs, job.words, job.table, job.matches, job.scores, job.from, job.to);
  } catch {
    done = -1;
  }
  Atomics.store(control, ${DONE}, done);
  Atomics.notify(control, ${DONE});
}
`;

class ScanWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly control = sharedInt32Array(2);
  private sent = 0;

  constructor() {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(WORKER_PROGRAM, {
      eval: true,
      workerData: { control: this.control, port: channel.port2 },
      transferList: [channel.port2],
    });
    this.worker.unref();
    this.port.unref();
  }

  start(job: ScanJob): void {
    this.port.postMessage(job);
    this.sent++;
    Atomics.store(this.control, REQUEST, this.sent);
    Atomics.notify(this.control, REQUEST);
  }

  /** Waits for the job; false when the worker failed or did not answer in time. */
  finish(): boolean {
    const deadline = performance.now() + WORKER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.control, DONE);
      if (done === this.sent) return true;
      if (done === -1) return false;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, DONE, done, left);
    }
  }

  terminate(): void {
    void this.worker.terminate();
    this.port.close();
  }
}
