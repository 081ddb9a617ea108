/**
 * A bounded async queue between the decode stage and the inference stage ([Note: Overlapping
 * decode and inference] in indexer.ts). Producers wait while it is full, so decoded images never
 * pile up in memory; the consumer takes whole batches. Hand-written: it is 50 lines, and the
 * stream libraries that offer this bring far more than a bounded buffer.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private closed = false;
  private wakeConsumer: (() => void) | undefined;
  private readonly wakeProducers: (() => void)[] = [];

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  /** Waits for room; returns false (dropping the item) once the queue is closed. */
  async push(item: T): Promise<boolean> {
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
    }
    if (this.closed) return false;
    this.items.push(item);
    this.wakeConsumer?.();
    return true;
  }

  /**
   * Resolves with `max` items, or fewer once the queue is closed; an empty array means closed and
   * drained. Waiting for a full batch keeps inference batched; `capacity` must be ≥ max.
   */
  async takeBatch(max: number): Promise<T[]> {
    while (this.items.length < max && !this.closed) {
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      this.wakeConsumer = undefined;
    }
    const batch = this.items.splice(0, max);
    for (const wake of this.wakeProducers.splice(0)) wake();
    return batch;
  }

  /** No more items: the consumer drains what is left, and waiting producers are let go. */
  close(): void {
    this.closed = true;
    this.wakeConsumer?.();
    for (const wake of this.wakeProducers.splice(0)) wake();
  }
}
