import { sharedInt32Array } from './vector-scan-pool';

/**
 * The in-memory columns the candidate scan reads: one dense slot per photo, in typed arrays, so a
 * scan is a tight loop over contiguous memory. Removing a photo moves the last slot into its place.
 * A photo without a code (the codebook is not trained yet) holds an all-zero code. Directory ids
 * are stored as small dense indices, so a directory filter is a byte mask of the directories seen.
 * The sign planes live in shared memory for the scan pool's workers ([Note: Parallel coarse scan]).
 */
export class VectorSlots {
  readonly words: number;
  private capacity = 0;
  private count = 0;
  private photoIdColumn = new Float64Array(0);
  private dirIndexColumn = new Int32Array(0);
  /** NaN for "no date": every comparison with NaN is false, so it never matches a date range. */
  private takenAtColumn = new Float64Array(0);
  private signColumn = sharedInt32Array(0);
  private magnitudeColumn = new Int32Array(0);
  private signBytes: Uint8Array = new Uint8Array(0);
  private magnitudeBytes = new Uint8Array(0);
  private readonly slotOf = new Map<number, number>();
  private readonly dirIndexOf = new Map<number, number>();

  constructor(words: number) {
    this.words = words;
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
    return this.dirIndexOf.size;
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

  /** The codes' magnitude planes, `words` per slot. */
  get magnitudes(): Int32Array {
    return this.magnitudeColumn;
  }

  slot(photoId: number): number | undefined {
    return this.slotOf.get(photoId);
  }

  /** `code`: the code's bytes as stored in SQLite (both planes, little-endian words), or null. */
  put(photoId: number, dirId: number, takenAt: number | null, code: Uint8Array | null): void {
    let slot = this.slotOf.get(photoId);
    if (slot === undefined) {
      if (this.count === this.capacity) this.grow();
      slot = this.count++;
      this.slotOf.set(photoId, slot);
      this.photoIdColumn[slot] = photoId;
    }
    let dirIndex = this.dirIndexOf.get(dirId);
    if (dirIndex === undefined) {
      dirIndex = this.dirIndexOf.size;
      this.dirIndexOf.set(dirId, dirIndex);
    }
    this.dirIndexColumn[slot] = dirIndex;
    this.takenAtColumn[slot] = takenAt ?? Number.NaN;
    const planeBytes = this.words * 4;
    const at = slot * planeBytes;
    for (let byte = 0; byte < planeBytes; byte++) {
      this.signBytes[at + byte] = code ? code[byte]! : 0;
      this.magnitudeBytes[at + byte] = code ? code[planeBytes + byte]! : 0;
    }
  }

  remove(photoId: number): void {
    const slot = this.slotOf.get(photoId);
    if (slot === undefined) return;
    this.slotOf.delete(photoId);
    const last = --this.count;
    if (slot !== last) {
      const movedId = this.photoIdColumn[last]!;
      this.photoIdColumn[slot] = movedId;
      this.dirIndexColumn[slot] = this.dirIndexColumn[last]!;
      this.takenAtColumn[slot] = this.takenAtColumn[last]!;
      for (const column of [this.signColumn, this.magnitudeColumn]) {
        column.copyWithin(slot * this.words, last * this.words, (last + 1) * this.words);
      }
      this.slotOf.set(movedId, slot);
    }
  }

  clear(): void {
    this.count = 0;
    this.slotOf.clear();
    this.dirIndexOf.clear();
  }

  private grow(): void {
    this.capacity = Math.max(1024, this.capacity * 2);
    this.photoIdColumn = resized(this.photoIdColumn, new Float64Array(this.capacity));
    this.dirIndexColumn = resized(this.dirIndexColumn, new Int32Array(this.capacity));
    this.takenAtColumn = resized(this.takenAtColumn, new Float64Array(this.capacity));
    this.signColumn = resized(this.signColumn, sharedInt32Array(this.capacity * this.words));
    this.magnitudeColumn = resized(
      this.magnitudeColumn,
      new Int32Array(this.capacity * this.words),
    );
    this.signBytes = new Uint8Array(this.signColumn.buffer);
    this.magnitudeBytes = new Uint8Array(this.magnitudeColumn.buffer);
  }
}

function resized<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
