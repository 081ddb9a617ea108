import { PhotoseekError } from '../../shared/errors';
import { encodeBytes, type ByteScale } from './byte-codes';
import { createByteKernel, type ByteKernel } from './byte-kernel';
import { sharedInt32Array } from './scan-pool';

/** Views of the first `size` slots' columns, in slot order (what a snapshot stores). */
export interface SlotColumns {
  readonly photoIds: Float64Array;
  readonly dirIndices: Int32Array;
  readonly takenAt: Float64Array;
  readonly signs: Int32Array;
  readonly bytes: Int8Array;
}

/**
 * The in-memory columns the candidate scan reads: one dense slot per photo, in typed arrays, so a
 * scan is a tight loop over contiguous memory. Removing a photo moves the last slot into its place.
 * A photo without a code (the codebook is not trained yet) holds an all-zero code. Directory ids
 * are stored as small dense indices, so a directory filter is a byte mask of the directories seen.
 * The sign planes live in shared memory for the scan pool's workers ([Note: Parallel coarse scan]);
 * the byte codes in the byte kernel's WebAssembly memory ([Note: Byte codes for re-ranking]),
 * `rowBytes` a slot, the scratch of a scoring call after them. The photo id → slot map is built
 * on first use: a library restored from its snapshot and searched without filters never needs it.
 */
export class VectorSlots {
  readonly words: number;
  readonly rowBytes: number;
  private capacity = 0;
  private count = 0;
  private photoIdColumn = new Float64Array(0);
  private dirIndexColumn = new Int32Array(0);
  /** NaN for "no date": every comparison with NaN is false, so it never matches a date range. */
  private takenAtColumn = new Float64Array(0);
  private signColumn = sharedInt32Array(0);
  private signBytes: Uint8Array = new Uint8Array(0);
  private readonly kernel: ByteKernel;
  private byteColumn = new Int8Array(0);
  private scale: ByteScale | null = null;
  private slotOfPhoto: Map<number, number> | null = new Map();
  private dirIds: number[] = [];
  private readonly dirIndexOf = new Map<number, number>();

  constructor(words: number, rowBytes: number) {
    this.words = words;
    this.rowBytes = rowBytes;
    this.kernel = createByteKernel();
  }

  get size(): number {
    return this.count;
  }

  get photoIds(): Float64Array {
    return this.photoIdColumn;
  }

  /** Dense directory indices, see dirIndex(). */
  get dirIndices(): Int32Array {
    return this.dirIndexColumn;
  }

  /** How many distinct directories have been seen: every dense index is below this. */
  get dirCount(): number {
    return this.dirIds.length;
  }

  /** The directory id of each dense index. */
  get directoryIds(): readonly number[] {
    return this.dirIds;
  }

  dirIndex(dirId: number): number | undefined {
    return this.dirIndexOf.get(dirId);
  }

  get takenAt(): Float64Array {
    return this.takenAtColumn;
  }

  /** The codes' sign planes, `words` per slot ([Note: Binary codes with asymmetric scoring]). */
  get signs(): Int32Array {
    return this.signColumn;
  }

  /** How the byte codes were made; null until the codebook is trained (codes are then all 0). */
  get byteScale(): ByteScale | null {
    return this.scale;
  }

  slot(photoId: number): number | undefined {
    return this.slotMap().get(photoId);
  }

  /**
   * `code`: the code's bytes as stored in SQLite (the sign plane's little-endian words first), or
   * null; `embedding`: the photo's vector, from which the byte code is made (null: all 0).
   */
  put(
    photoId: number,
    dirId: number,
    takenAt: number | null,
    code: Uint8Array | null,
    embedding: Float32Array | null,
  ): void {
    const slotOf = this.slotMap();
    let slot = slotOf.get(photoId);
    if (slot === undefined) {
      if (this.count === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
      slot = this.count++;
      slotOf.set(photoId, slot);
      this.photoIdColumn[slot] = photoId;
    }
    this.dirIndexColumn[slot] = this.internDir(dirId);
    this.takenAtColumn[slot] = takenAt ?? Number.NaN;
    const planeBytes = this.words * 4;
    const at = slot * planeBytes;
    for (let byte = 0; byte < planeBytes; byte++) {
      this.signBytes[at + byte] = code ? code[byte]! : 0;
    }
    const row = slot * this.rowBytes;
    this.byteColumn.fill(0, row, row + this.rowBytes);
    if (embedding && this.scale) encodeBytes(embedding, this.scale, this.byteColumn, row);
  }

  remove(photoId: number): void {
    const slotOf = this.slotMap();
    const slot = slotOf.get(photoId);
    if (slot === undefined) return;
    slotOf.delete(photoId);
    const last = --this.count;
    if (slot !== last) {
      const movedId = this.photoIdColumn[last]!;
      this.photoIdColumn[slot] = movedId;
      this.dirIndexColumn[slot] = this.dirIndexColumn[last]!;
      this.takenAtColumn[slot] = this.takenAtColumn[last]!;
      this.signColumn.copyWithin(slot * this.words, last * this.words, (last + 1) * this.words);
      const rowBytes = this.rowBytes;
      this.byteColumn.copyWithin(slot * rowBytes, last * rowBytes, (last + 1) * rowBytes);
      slotOf.set(movedId, slot);
    }
  }

  /** Empties the slots; byte codes made from now on use `scale`. */
  clear(scale: ByteScale | null): void {
    this.count = 0;
    this.scale = scale;
    this.slotOfPhoto = new Map();
    this.dirIds = [];
    this.dirIndexOf.clear();
  }

  /**
   * Replaces everything with `count` slots whose columns the caller fills in place (a snapshot
   * being read): returns them, the directory index → id list already set.
   */
  adopt(count: number, directoryIds: readonly number[], scale: ByteScale): SlotColumns {
    this.clear(scale);
    if (count > this.capacity) this.grow(count);
    this.count = count;
    this.slotOfPhoto = null;
    for (const dirId of directoryIds) this.internDir(dirId);
    return this.columns();
  }

  columns(): SlotColumns {
    const count = this.count;
    return {
      photoIds: this.photoIdColumn.subarray(0, count),
      dirIndices: this.dirIndexColumn.subarray(0, count),
      takenAt: this.takenAtColumn.subarray(0, count),
      signs: this.signColumn.subarray(0, count * this.words),
      bytes: this.byteColumn.subarray(0, count * this.rowBytes),
    };
  }

  /**
   * scores[i] = Σ weights · (byte code of slot matches[i]), for i < count, by the SIMD kernel; the
   * matches and scores pass through scratch space after the byte column.
   */
  scoreBytes(weights: Int16Array, matches: Int32Array, count: number, scores: Int32Array): void {
    const queryAt = this.capacity * this.rowBytes;
    const slotsAt = queryAt + weights.byteLength;
    const scoresAt = slotsAt + count * 4;
    this.ensureMemory(scoresAt + count * 4);
    const buffer = this.kernel.memory.buffer;
    new Int16Array(buffer, queryAt, weights.length).set(weights);
    new Int32Array(buffer, slotsAt, count).set(matches.subarray(0, count));
    this.kernel.score(0, this.rowBytes, queryAt, slotsAt, count, scoresAt);
    scores.set(new Int32Array(buffer, scoresAt, count));
  }

  private slotMap(): Map<number, number> {
    if (this.slotOfPhoto === null) {
      const slotOf = new Map<number, number>();
      for (let slot = 0; slot < this.count; slot++) slotOf.set(this.photoIdColumn[slot]!, slot);
      this.slotOfPhoto = slotOf;
    }
    return this.slotOfPhoto;
  }

  private internDir(dirId: number): number {
    let dirIndex = this.dirIndexOf.get(dirId);
    if (dirIndex === undefined) {
      dirIndex = this.dirIds.length;
      this.dirIndexOf.set(dirId, dirIndex);
      this.dirIds.push(dirId);
    }
    return dirIndex;
  }

  private grow(capacity: number): void {
    this.ensureMemory(capacity * this.rowBytes);
    this.capacity = capacity;
    this.photoIdColumn = resized(this.photoIdColumn, new Float64Array(capacity));
    this.dirIndexColumn = resized(this.dirIndexColumn, new Int32Array(capacity));
    this.takenAtColumn = resized(this.takenAtColumn, new Float64Array(capacity));
    this.signColumn = resized(this.signColumn, sharedInt32Array(capacity * this.words));
    this.signBytes = new Uint8Array(this.signColumn.buffer);
  }

  /** Grows the kernel's memory to at least `bytes` (growing detaches the old views). */
  private ensureMemory(bytes: number): void {
    const { memory } = this.kernel;
    const missing = Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE);
    if (missing > 0) {
      try {
        memory.grow(missing);
      } catch {
        throw new PhotoseekError(
          'DATABASE',
          `The vector index cannot hold ${Math.ceil(bytes / 2 ** 20)} MiB of byte codes in memory ` +
            '(the limit is 4 GiB): index fewer photos per model, or use a model with fewer dimensions.',
        );
      }
    }
    if (this.byteColumn.buffer !== memory.buffer) {
      this.byteColumn = new Int8Array(memory.buffer, 0, memory.buffer.byteLength);
    }
  }
}

const WASM_PAGE = 65_536;

function resized<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from.subarray(0, Math.min(from.length, to.length)));
  return to;
}
