import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ByteScale } from './byte-codes';
import type { SlotColumns, VectorSlots } from './slots';

/**
 * [Note: Snapshot of the in-memory codes] Loading the in-memory columns from SQLite means reading
 * every item and embedding, since the byte codes are made from the float embeddings ([Note: Byte
 * codes for re-ranking]): on the shared 2-core VM at load ≈ 8–12, 6.8 s at 100,000 photos (3.6 s
 * of it reading the rows) and 175 s at a million. So the mirror also keeps them in a file next to
 * the database, read back with one read per column on the next start (100,000 photos: 60 MB,
 * 0.25–0.6 s; a million: 596 MB, 4–7 s there, where the file did not stay in the page cache and
 * came from disk at ≈ 100 MB/s):
 *   <database>-<vector table prefix>.codes
 * It is a cache of what SQLite holds, never a source of truth, and it says which state it holds:
 * the meta row's generation, the last change-log seq applied and that log row's photo id. A
 * snapshot is used only when its generation is the database's, its seq is still in the log (or the
 * last one trimmed) and that row names the same photo; the mirror then applies the log rows after
 * it like any other sync, and checks that it holds as many photos as the items table. Anything else
 * (another library's file, an older backup of the database, a file from before a retraining) makes
 * the mirror load from SQLite and write a new snapshot.
 * Torn or damaged files: a snapshot is written to a temporary file, flushed (fsync) and renamed over
 * the old one, so a crash leaves the old file or the new one; on reading, the file's size must be
 * exactly what its header implies, and a CRC-32 covers the header and every column that decides
 * which photos a search may return (photo ids, folders, dates). The codes (sign planes and byte
 * codes, 94% of the bytes) are not summed: at a million photos that would cost ~0.4 s of the cold
 * start, and a damaged code can only cost recall, because every candidate is filtered by the summed
 * columns and ranked exactly from SQLite. Due after a full load and after every max(4,096,
 * size / 16) changes, and written when searches pause ([Note: Snapshot written off the search
 * path]); a snapshot that cannot be written (read-only folder, full disk) is skipped: the next
 * start loads from SQLite.
 */
export interface SnapshotState {
  generation: number;
  /** The last change-log seq the columns include (0: none). */
  seq: number;
  /** That log row's photo id; NaN when seq is 0. */
  seqPhotoId: number;
}

export interface SnapshotShape {
  dim: number;
  words: number;
  rowBytes: number;
}

const MAGIC = 'PSVCODES';
const VERSION = 1;
const HEADER_BYTES = 64;
/** Header bytes covered by the CRC: everything before the CRC field. */
const CHECKED_HEADER_BYTES = 56;

export function snapshotPath(databaseFile: string, tablePrefix: string): string {
  return `${databaseFile}-${tablePrefix}.codes`;
}

/**
 * Writes the slots' columns and the state they hold, replacing any older snapshot at `file`, with
 * the file system's work on libuv's threads ([Note: Snapshot written off the search path]). The
 * columns are written in place, not copied, so the caller says through `unchanged` whether they
 * stayed as they were while the file was written; when they did not, the file is dropped and the
 * old snapshot stays. True when the new snapshot is in place.
 */
export async function writeSnapshot(
  file: string,
  slots: VectorSlots,
  shape: SnapshotShape,
  state: SnapshotState,
  unchanged: () => boolean,
): Promise<boolean> {
  const columns = slots.columns();
  const dirIds = Float64Array.from(slots.directoryIds);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'ascii');
  header.writeUInt32LE(VERSION, 8);
  header.writeUInt32LE(shape.dim, 12);
  header.writeUInt32LE(shape.words, 16);
  header.writeUInt32LE(shape.rowBytes, 20);
  header.writeUInt32LE(slots.size, 24);
  header.writeUInt32LE(dirIds.length, 28);
  header.writeDoubleLE(state.generation, 32);
  header.writeDoubleLE(state.seq, 40);
  header.writeDoubleLE(state.seqPhotoId, 48);
  const checked = checkedSections(dirIds, columns);
  header.writeUInt32LE(crcOf([header.subarray(0, CHECKED_HEADER_BYTES), ...checked]), 56);

  removeOrphanedTemporaries(file);
  const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.promises.open(temporary, 'w');
  let open = true;
  let placed = false;
  try {
    for (const section of [header, ...sections(dirIds, columns)]) await writeAll(handle, section);
    await handle.sync();
    open = false;
    await handle.close();
    if (!unchanged()) return false;
    await fs.promises.rename(temporary, file);
    placed = true;
    return true;
  } finally {
    if (open) await handle.close();
    if (!placed) await fs.promises.rm(temporary, { force: true });
  }
}

/**
 * Reads the snapshot at `file` into `slots` (byte codes made with `scale`) and returns the state it
 * holds; null, with the slots left empty, when there is none or it does not fit: another shape or
 * format, a size its header does not imply, a CRC mismatch.
 */
export function readSnapshot(
  file: string,
  slots: VectorSlots,
  shape: SnapshotShape,
  scale: ByteScale,
): SnapshotState | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return null;
    const fits =
      header.toString('ascii', 0, 8) === MAGIC &&
      header.readUInt32LE(8) === VERSION &&
      header.readUInt32LE(12) === shape.dim &&
      header.readUInt32LE(16) === shape.words &&
      header.readUInt32LE(20) === shape.rowBytes;
    if (!fits) return null;
    const count = header.readUInt32LE(24);
    const dirCount = header.readUInt32LE(28);
    const expectedBytes =
      HEADER_BYTES +
      padded(dirCount * 8) +
      padded(count * 8) * 2 +
      padded(count * 4) +
      padded(count * shape.words * 4) +
      count * shape.rowBytes;
    if (fs.fstatSync(fd).size !== expectedBytes) return null;

    let position = HEADER_BYTES;
    const readInto = (view: ArrayBufferView) => {
      readAll(fd, view, position);
      position += padded(view.byteLength);
    };
    const dirIds = new Float64Array(dirCount);
    readInto(dirIds);
    const columns = slots.adopt(count, Array.from(dirIds), scale);
    for (const column of sections(dirIds, columns).slice(1)) readInto(column);
    const crc = crcOf([
      header.subarray(0, CHECKED_HEADER_BYTES),
      ...checkedSections(dirIds, columns),
    ]);
    if (crc !== header.readUInt32LE(56) || !validDirIndices(columns.dirIndices, dirCount)) {
      slots.clear(scale);
      return null;
    }
    return {
      generation: header.readDoubleLE(32),
      seq: header.readDoubleLE(40),
      seqPhotoId: header.readDoubleLE(48),
    };
  } catch {
    slots.clear(scale);
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

export function removeSnapshot(file: string): void {
  fs.rmSync(file, { force: true });
  removeOrphanedTemporaries(file);
}

/** Temporary files of `file` left by writers that died before their rename (a crash, a kill). */
function removeOrphanedTemporaries(file: string): void {
  const folder = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const writer = /^(\d+)-[a-z0-9]*\.tmp$/.exec(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !writer || processAlive(Number(writer[1]))) continue;
    fs.rmSync(path.join(folder, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The file's sections after the header, in order: dirIds, then every column. */
function sections(dirIds: Float64Array, columns: SlotColumns): ArrayBufferView[] {
  return [
    dirIds,
    columns.photoIds,
    columns.takenAt,
    columns.dirIndices,
    columns.signs,
    columns.bytes,
  ];
}

function checkedSections(dirIds: Float64Array, columns: SlotColumns): ArrayBufferView[] {
  return [dirIds, columns.photoIds, columns.takenAt, columns.dirIndices];
}

function crcOf(parts: readonly ArrayBufferView[]): number {
  let crc = 0;
  for (const part of parts) crc = zlib.crc32(bytesOf(part), crc);
  return crc;
}

function validDirIndices(dirIndices: Int32Array, dirCount: number): boolean {
  for (const index of dirIndices) if (index < 0 || index >= dirCount) return false;
  return true;
}

/** Sections start at multiples of 8 bytes, so every column can be read in place. */
function padded(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

async function writeAll(handle: fs.promises.FileHandle, view: ArrayBufferView): Promise<void> {
  const bytes = bytesOf(view);
  let written = 0;
  while (written < bytes.length) {
    written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
  }
  const padding = padded(bytes.length) - bytes.length;
  if (padding > 0) await handle.write(new Uint8Array(padding));
}

function readAll(fd: number, view: ArrayBufferView, position: number): void {
  const bytes = bytesOf(view);
  let read = 0;
  while (read < bytes.length) {
    const got = fs.readSync(fd, bytes, read, bytes.length - read, position + read);
    if (got === 0) throw new Error('The snapshot ended early.');
    read += got;
  }
}
