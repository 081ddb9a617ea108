/**
 * A count of bytes that callers hold at once, up to `capacity`. `acquire(n)` waits until n more
 * fit; a request over the capacity is granted the whole budget, alone, so one large item never
 * waits forever. Grants are served in order, so a large request is not starved by small ones.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(readonly capacity: number) {}

  /** Resolves with the function that gives the bytes back (call it exactly once). */
  async acquire(bytes: number): Promise<() => void> {
    const amount = Math.min(Math.max(0, bytes), this.capacity);
    if (this.waiting.length === 0 && this.used + amount <= this.capacity) this.used += amount;
    else await new Promise<void>((grant) => this.waiting.push({ bytes: amount, grant }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= amount;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.bytes <= this.capacity) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }
}
