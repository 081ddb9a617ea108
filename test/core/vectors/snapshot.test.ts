import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VectorIndex, type VectorHit } from '../../../src-main/core/vectors/vector-index';
import type { CodesSource } from '../../../src-main/core/vectors/mirror';
import { snapshotPath } from '../../../src-main/core/vectors/snapshot';
import { vectorTables } from '../../../src-main/core/vectors/tables';
import { ClusteredEmbeddings } from '../../../bench/lib/clustered-embeddings';

const DIM = 64;
const MODEL = 'snapshot-test-64';
const DIRECTORIES = 8;
const K = 25;

/** The brute-force top k (cosine; the vectors are unit length), ties by photo id. */
function referenceTopK(photos: ReadonlyMap<number, Float32Array>, query: Float32Array): number[] {
  const scored = [...photos].map(([photoId, embedding]) => {
    let dot = 0;
    for (let i = 0; i < DIM; i++) dot += query[i]! * embedding[i]!;
    return { photoId, dot };
  });
  scored.sort((a, b) => b.dot - a.dot || a.photoId - b.photoId);
  return scored.slice(0, K).map((hit) => hit.photoId);
}

const resolveModule = createRequire(import.meta.url).resolve;

const ids = (hits: readonly VectorHit[]) => hits.map((hit) => hit.photoId);

/**
 * [Note: Snapshot of the in-memory codes] through real SQLite files: the snapshot next to the
 * database is used when it holds a state of that database (brought up to date from the change log),
 * and ignored, then rewritten, in every other case; whichever way the codes were loaded, searches
 * equal brute force.
 */
describe('the snapshot of the vector codes', () => {
  let dir: string;
  let dbPath: string;
  let snapshot: string;
  let generator: ClusteredEmbeddings;
  let photos: Map<number, Float32Array>;
  let queries: Float32Array[];
  const open: Database.Database[] = [];

  function openDatabase(file = dbPath): Database.Database {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    sqliteVec.load(db);
    open.push(db);
    return db;
  }

  function addPhotos(index: VectorIndex, db: Database.Database, from: number, to: number): void {
    db.transaction(() => {
      for (let photoId = from; photoId < to; photoId++) {
        const { embedding, cluster } = generator.nextPhoto();
        index.upsert(photoId, embedding, { dirId: cluster % DIRECTORIES, takenAt: null });
        photos.set(photoId, embedding);
      }
    })();
  }

  /** A library of 3,000 photos (trained codebook) searched once, then closed (writing its snapshot). */
  async function librarySearchedOnce(): Promise<void> {
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    addPhotos(index, db, 1, 3001);
    index.search(queries[0]!, K);
    expect(index.codesLoadedFrom()).toBe('database');
    await index.dispose();
    db.close();
  }

  /**
   * Opens the library again, as a new process would: searches, closes (writing a snapshot that is
   * due) and says where the codes came from.
   */
  async function reopenAndSearch(): Promise<CodesSource> {
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    for (const query of queries)
      expect(ids(index.search(query, K))).toEqual(referenceTopK(photos, query));
    expect(index.count()).toBe(photos.size);
    await index.dispose();
    db.close();
    return index.codesLoadedFrom();
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'photoseek-vector-snapshot-'));
    dbPath = path.join(dir, 'library.db');
    snapshot = snapshotPath(dbPath, vectorTables(MODEL).prefix);
    generator = new ClusteredEmbeddings({ dim: DIM, clusters: 30, seed: 21 });
    photos = new Map();
    queries = [
      generator.textQuery(),
      generator.textQuery(),
      generator.imageQueryNear(generator.nextPhoto().embedding),
    ];
  });

  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is written when the index is closed and read by the next start', async () => {
    await librarySearchedOnce();
    expect(fs.existsSync(snapshot)).toBe(true);
    expect(await reopenAndSearch()).toBe('snapshot');
  });

  it('is brought up to date from the change log when the library changed since', async () => {
    await librarySearchedOnce();
    const db = openDatabase();
    const writer = VectorIndex.open(db, MODEL, DIM);
    addPhotos(writer, db, 3001, 3101);
    for (const photoId of [5, 600, 3050]) {
      writer.delete(photoId);
      photos.delete(photoId);
    }
    const moved = generator.nextPhoto().embedding;
    writer.upsert(7, moved, { dirId: 1, takenAt: null });
    photos.set(7, moved);
    db.close();

    expect(await reopenAndSearch()).toBe('snapshot');
  });

  it('catches up from a log longer than 65,536 changes when the library is large enough', async () => {
    // [Note: Log kept in proportion to the library]: the log keeps twice the largest photo id.
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    addPhotos(index, db, 1, 3001);
    addPhotos(index, db, 40_000, 40_001);
    index.search(queries[0]!, K);
    await index.dispose();
    db.transaction(() => {
      for (let change = 0; change < 70_000; change++) {
        index.setAttributes(3, { dirId: change % DIRECTORIES, takenAt: null });
      }
    })();
    db.close();

    expect(await reopenAndSearch()).toBe('snapshot');
  });

  it('is ignored when the tables were made again (another generation)', async () => {
    await librarySearchedOnce();
    const stale = fs.readFileSync(snapshot);
    const db = openDatabase();
    VectorIndex.drop(db, MODEL);
    expect(fs.existsSync(snapshot)).toBe(false);
    photos.clear();
    addPhotos(VectorIndex.open(db, MODEL, DIM), db, 1, 3001);
    db.close();
    fs.writeFileSync(snapshot, stale);

    expect(await reopenAndSearch()).toBe('database');
    expect(fs.readFileSync(snapshot).equals(stale)).toBe(false);
  });

  it('is ignored when the database is an older copy than the snapshot', async () => {
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    addPhotos(index, db, 1, 3001);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const backup = path.join(dir, 'backup.db');
    fs.copyFileSync(dbPath, backup);
    const photosThen = new Map(photos);
    addPhotos(index, db, 3001, 3201);
    index.search(queries[0]!, K);
    await index.dispose();
    db.close();

    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${dbPath}${suffix}`, { force: true });
    fs.copyFileSync(backup, dbPath);
    photos = photosThen;
    expect(await reopenAndSearch()).toBe('database');
  });

  it('is ignored when a copy of the database changed another way since (same seq, other photo)', async () => {
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    addPhotos(index, db, 1, 3001);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(dbPath, copy);
    index.upsert(3001, generator.nextPhoto().embedding, { dirId: 1, takenAt: null });
    index.search(queries[0]!, K);
    await index.dispose();
    db.close();

    // The copy takes one change too, but another one: its log reaches the snapshot's seq with
    // another photo there.
    const other = openDatabase(copy);
    const otherEmbedding = generator.nextPhoto().embedding;
    VectorIndex.open(other, MODEL, DIM).upsert(4001, otherEmbedding, { dirId: 2, takenAt: null });
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    fs.copyFileSync(snapshot, snapshotPath(copy, vectorTables(MODEL).prefix));
    photos.set(4001, otherEmbedding);
    dbPath = copy;
    expect(await reopenAndSearch()).toBe('database');
  });

  it('is ignored when truncated', async () => {
    await librarySearchedOnce();
    fs.truncateSync(snapshot, fs.statSync(snapshot).size - 100);
    expect(await reopenAndSearch()).toBe('database');
  });

  it('is ignored when a byte of its photo ids, folders or dates is damaged', async () => {
    await librarySearchedOnce();
    const bytes = fs.readFileSync(snapshot);
    // The photo id column follows the 64-byte header and the folder ids (8 bytes each; their
    // count is the header's eighth 32-bit field).
    const photoIdsAt = 64 + bytes.readUInt32LE(28) * 8;
    bytes[photoIdsAt + 8 * 100 + 2]! ^= 0x10;
    fs.writeFileSync(snapshot, bytes);
    expect(await reopenAndSearch()).toBe('database');
  });

  it('is ignored when it is not a snapshot at all', async () => {
    await librarySearchedOnce();
    fs.writeFileSync(snapshot, 'not a snapshot');
    expect(await reopenAndSearch()).toBe('database');
  });

  it('stays whole when its writer is killed before the new file is in place', async () => {
    await librarySearchedOnce();
    const before = fs.readFileSync(snapshot);
    const db = openDatabase();
    addPhotos(VectorIndex.open(db, MODEL, DIM), db, 3001, 3101);
    db.close();

    // A process that searches and closes (so rewrites the snapshot: the library changed) and is
    // killed the moment its new file is flushed, before the rename that puts it in place.
    const child = path.join(dir, 'killed-writer.ts');
    fs.writeFileSync(
      child,
      `import fs from 'node:fs';
       import Database from ${JSON.stringify(resolveModule('better-sqlite3'))};
       import * as sqliteVec from ${JSON.stringify(resolveModule('sqlite-vec'))};
       import { VectorIndex } from ${JSON.stringify(path.resolve('src-main/core/vectors/vector-index.ts'))};
       const db = new Database(${JSON.stringify(dbPath)});
       sqliteVec.load(db);
       fs.promises.rename = async () => void process.kill(process.pid, 'SIGKILL');
       const index = VectorIndex.open(db, ${JSON.stringify(MODEL)}, ${DIM});
       for (let change = 0; change < 5000; change++) index.setAttributes(1, { dirId: change % 3, takenAt: null });
       index.search(new Float32Array(${DIM}).fill(1), 5);
       void index.dispose();`,
    );
    let killed = false;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', child], {
        cwd: process.cwd(),
        stdio: 'pipe',
      });
    } catch (error) {
      killed = (error as { signal?: string }).signal === 'SIGKILL';
    }
    expect(killed).toBe(true);
    const leftovers = fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));
    expect(leftovers.length).toBe(1);
    expect(fs.readFileSync(snapshot).equals(before)).toBe(true);

    // The next writer clears what the killed one left: here the reopened index, which rewrites the
    // snapshot because more than 4,096 changes came after it.
    expect(await reopenAndSearch()).toBe('snapshot');
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(fs.readFileSync(snapshot).equals(before)).toBe(false);
  });

  it('is not written inside a search but once searches pause', async () => {
    // [Note: Snapshot written off the search path]
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    addPhotos(index, db, 1, 3001);
    index.search(queries[0]!, K);
    expect(fs.existsSync(snapshot)).toBe(false);
    await vi.waitFor(() => expect(fs.existsSync(snapshot)).toBe(true), {
      timeout: 60_000,
      interval: 100,
    });
    db.close();
    expect(await reopenAndSearch()).toBe('snapshot');
  });

  it('drops a write that the columns changed under, and writes it again later', async () => {
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    addPhotos(index, db, 1, 3001);
    index.search(queries[0]!, K);
    // The write starts (the file system's part runs on libuv's threads) and a search that has
    // a new photo to copy in runs before it is done.
    const firstWrite = index.dispose();
    addPhotos(index, db, 3001, 3002);
    index.search(queries[0]!, K);
    await firstWrite;
    expect(fs.readdirSync(dir).filter((name) => name.includes('.codes'))).toEqual([]);

    await index.dispose();
    db.close();
    expect(await reopenAndSearch()).toBe('snapshot');
  });
});
