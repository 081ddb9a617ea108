import { describe, expect, it } from 'vitest';
import { BYTE_ROW_ALIGN, createByteKernel } from '../../../src-main/core/vectors/byte-kernel';

/** A deterministic stream of 32-bit values (xorshift32). */
function randomInts(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state | 0;
  };
}

describe('the byte-code kernel (WebAssembly SIMD)', () => {
  for (const rowBytes of [BYTE_ROW_ALIGN, 512, 784]) {
    it(`scores int8 rows against int16 weights like a plain loop: ${rowBytes} bytes a row`, () => {
      const rowCount = 300;
      const count = 500; // more scores than rows: slots repeat, in any order
      const kernel = createByteKernel();
      const queryAt = rowCount * rowBytes;
      const slotsAt = queryAt + rowBytes * 2;
      const outAt = slotsAt + count * 4;
      kernel.memory.grow(Math.ceil((outAt + count * 4) / 65_536));
      const buffer = kernel.memory.buffer;
      const rows = new Int8Array(buffer, 0, rowCount * rowBytes);
      const query = new Int16Array(buffer, queryAt, rowBytes);
      const slots = new Int32Array(buffer, slotsAt, count);
      const next = randomInts(rowBytes);
      for (let i = 0; i < rows.length; i++) rows[i] = next() % 128; // −127 … 127
      // The extremes too: the widest products the kernel must add without loss.
      rows.fill(-127, 0, rowBytes);
      rows.fill(127, rowBytes, 2 * rowBytes);
      for (let i = 0; i < rowBytes; i++) query[i] = i % 7 === 0 ? -16_000 : next() % 16_000;
      for (let i = 0; i < count; i++) slots[i] = Math.abs(next()) % rowCount;
      slots[0] = 0;
      slots[1] = 1;

      kernel.score(0, rowBytes, queryAt, slotsAt, count, outAt);

      const scores = new Int32Array(kernel.memory.buffer, outAt, count);
      const expected = Array.from(slots, (slot) => {
        let sum = 0;
        for (let j = 0; j < rowBytes; j++) sum += rows[slot * rowBytes + j]! * query[j]!;
        return sum;
      });
      expect(Array.from(scores)).toEqual(expected);
    });
  }

  it('writes nothing when asked for no scores', () => {
    const kernel = createByteKernel();
    const out = new Int32Array(kernel.memory.buffer, 1024, 4).fill(7);
    kernel.score(0, BYTE_ROW_ALIGN, 512, 768, 0, 1024);
    expect(Array.from(out)).toEqual([7, 7, 7, 7]);
  });
});
