import type { IndexPhase, IndexProgress } from '../../shared/types';

/**
 * Counts what the indexer did and turns it into IndexProgress events: rate over a sliding window
 * (so a slow start or a burst of unchanged files does not distort the ETA) and events throttled
 * to a few per second (a 100k-file scan must not flood the CLI or the IPC channel).
 */
const RATE_WINDOW_MS = 10_000;
const EMIT_INTERVAL_MS = 150;

export class ProgressTracker {
  private phase: IndexPhase = 'scanning';
  private total = 0;
  private done = 0;
  private indexed = 0;
  private failed = 0;
  private currentFile: string | null = null;
  private lastEmit = 0;
  private readonly samples: { at: number; indexed: number }[] = [];

  constructor(
    private readonly emit: ((progress: IndexProgress) => void) | undefined,
    private readonly provider: () => string | null,
    private readonly now: () => number = Date.now,
  ) {}

  startPhase(phase: IndexPhase, total: number): void {
    this.phase = phase;
    this.total = total;
    if (phase === 'indexing')
      this.samples.splice(0, this.samples.length, { at: this.now(), indexed: this.indexed });
    this.flush();
  }

  setTotal(total: number): void {
    this.total = total;
  }

  doneCount(): number {
    return this.done;
  }

  /** A file the scan found (during scanning, `total` grows with it). */
  scanned(filePath: string): void {
    this.total++;
    this.currentFile = filePath;
    this.maybeEmit();
  }

  working(filePath: string): void {
    this.currentFile = filePath;
    this.maybeEmit();
  }

  fileDone(outcome: 'indexed' | 'failed' | 'skipped', count = 1): void {
    this.done += count;
    if (outcome === 'indexed') {
      this.indexed += count;
      this.samples.push({ at: this.now(), indexed: this.indexed });
    }
    if (outcome === 'failed') this.failed += count;
    this.maybeEmit();
  }

  snapshot(): IndexProgress {
    const rate = this.rate();
    const remaining = Math.max(0, this.total - this.done);
    return {
      phase: this.phase,
      done: this.done,
      total: this.total,
      indexed: this.indexed,
      failed: this.failed,
      rate,
      etaSeconds:
        this.phase === 'indexing' && rate > 0 ? remaining / rate : this.phase === 'done' ? 0 : null,
      currentFile: this.phase === 'done' ? null : this.currentFile,
      provider: this.provider(),
    };
  }

  flush(): void {
    this.lastEmit = this.now();
    this.emit?.(this.snapshot());
  }

  private maybeEmit(): void {
    if (this.emit && this.now() - this.lastEmit >= EMIT_INTERVAL_MS) this.flush();
  }

  private rate(): number {
    const now = this.now();
    while (this.samples.length > 1 && now - this.samples[0]!.at > RATE_WINDOW_MS)
      this.samples.shift();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last === first) return 0;
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? (last.indexed - first.indexed) / seconds : 0;
  }
}
