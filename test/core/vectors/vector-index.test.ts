import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhotoseekError } from '../../../src-main/shared/errors';
import {
  VectorIndex,
  type VectorAttributes,
  type VectorFilter,
  type VectorHit,
} from '../../../src-main/core/vectors/vector-index';
import { scanPool } from '../../../src-main/core/vectors/scan-pool';
import { ClusteredEmbeddings } from '../../../bench/lib/clustered-embeddings';

const DIM = 512;
const MODEL = 'clip-test-512';
const DIRECTORIES = 12;
const DAY = 86_400_000;
const EPOCH = Date.UTC(2020, 0, 1);

interface StoredPhoto {
  embedding: Float32Array;
  attrs: VectorAttributes;
}

/** The brute-force reference: cosine in float64 over every stored photo the filter accepts. */
function referenceSearch(
  photos: ReadonlyMap<number, StoredPhoto>,
  query: Float32Array,
  k: number,
  filter: VectorFilter = {},
): VectorHit[] {
  const excluded = new Set(filter.excludePhotoIds ?? []);
  const hits: VectorHit[] = [];
  for (const [photoId, { embedding, attrs }] of photos) {
    if (excluded.has(photoId)) continue;
    if (filter.dirIds && !filter.dirIds.includes(attrs.dirId)) continue;
    const dated = filter.after !== undefined || filter.before !== undefined;
    if (dated && attrs.takenAt === null) continue;
    if (filter.after !== undefined && attrs.takenAt! < filter.after) continue;
    if (filter.before !== undefined && attrs.takenAt! >= filter.before) continue;
    hits.push({ photoId, score: cosine(query, embedding) });
  }
  hits.sort((a, b) => b.score - a.score || a.photoId - b.photoId);
  return hits.slice(0, k);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(normA * normB);
}

function expectSameHits(actual: readonly VectorHit[], expected: readonly VectorHit[]): void {
  expect(actual.map((hit) => hit.photoId)).toEqual(expected.map((hit) => hit.photoId));
  actual.forEach((hit, i) => expect(Math.abs(hit.score - expected[i]!.score)).toBeLessThan(1e-5));
}

describe('VectorIndex', () => {
  let dir: string;
  let dbPath: string;
  const open: Database.Database[] = [];

  function openDatabase(): Database.Database {
    const db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    sqliteVec.load(db);
    open.push(db);
    return db;
  }

  /** Clustered photos in DIRECTORIES folders over ~3 years; every 10th has no date. */
  function addPhotos(
    index: VectorIndex,
    db: Database.Database,
    generator: ClusteredEmbeddings,
    ids: readonly number[],
    photos: Map<number, StoredPhoto>,
  ): void {
    db.transaction(() => {
      for (const photoId of ids) {
        const { embedding, cluster } = generator.nextPhoto();
        const attrs: VectorAttributes = {
          dirId: (cluster + photoId) % DIRECTORIES,
          takenAt: photoId % 10 === 0 ? null : EPOCH + Math.floor(generator.uniform() * 1000) * DAY,
        };
        index.upsert(photoId, embedding, attrs);
        photos.set(photoId, { embedding, attrs });
      }
    })();
  }

  const range = (from: number, to: number): number[] =>
    Array.from({ length: to - from }, (_, i) => from + i);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'photoseek-vector-index-'));
    dbPath = path.join(dir, 'library.db');
  });

  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores, replaces, reads and deletes vectors', () => {
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    const generator = new ClusteredEmbeddings({ dim: DIM, seed: 1 });
    const first = generator.nextPhoto().embedding;
    const second = generator.nextPhoto().embedding;

    expect(index.count()).toBe(0);
    expect(index.has(7)).toBe(false);
    expect(index.get(7)).toBeNull();

    index.upsert(7, first, { dirId: 1, takenAt: null });
    index.upsert(8, second, { dirId: 1, takenAt: EPOCH });
    expect(index.count()).toBe(2);
    expect(index.has(7)).toBe(true);
    expect(index.get(7)).toEqual(first);

    index.upsert(7, second, { dirId: 2, takenAt: EPOCH });
    expect(index.count()).toBe(2);
    expect(index.get(7)).toEqual(second);

    index.delete(7);
    index.delete(7);
    expect(index.has(7)).toBe(false);
    expect(index.get(7)).toBeNull();
    expect(index.count()).toBe(1);
    expect(index.search(second, 5).map((hit) => hit.photoId)).toEqual([8]);
  });

  it('rejects vectors of the wrong length', () => {
    const index = VectorIndex.open(openDatabase(), MODEL, DIM);
    const short = new Float32Array(DIM - 1).fill(0.1);
    expect(() => index.upsert(1, short, { dirId: 1, takenAt: null })).toThrow(PhotoseekError);
    expect(() => index.search(short, 5)).toThrow(/Float32Array of 512/);
  });

  /**
   * 3000 photos: enough for a trained codebook, so unselective searches go through both candidate
   * rounds (vectors/candidates.ts) and must still equal brute force; selective filters, k beyond the
   * matches and searches inside a transaction take the paths that rank every match.
   */
  describe('on a few thousand clustered photos', () => {
    let db: Database.Database;
    let index: VectorIndex;
    let generator: ClusteredEmbeddings;
    const photos = new Map<number, StoredPhoto>();
    let queries: Float32Array[];

    beforeEach(() => {
      photos.clear();
      db = openDatabase();
      index = VectorIndex.open(db, MODEL, DIM);
      generator = new ClusteredEmbeddings({ dim: DIM, clusters: 40, seed: 7 });
      addPhotos(index, db, generator, range(1, 3001), photos);
      queries = [
        generator.imageQueryNear(photos.get(17)!.embedding),
        generator.imageQueryNear(photos.get(2345)!.embedding),
        generator.textQuery(),
        generator.textQuery(),
      ];
    });

    const filters: Record<string, VectorFilter> = {
      none: {},
      'many folders': { dirIds: [0, 1, 2, 3, 4, 5] },
      'one folder': { dirIds: [3] },
      after: { after: EPOCH + 500 * DAY },
      before: { before: EPOCH + 200 * DAY },
      'date range': { after: EPOCH + 100 * DAY, before: EPOCH + 400 * DAY },
      excluded: { excludePhotoIds: [17, 18, 2345] },
      'folders, dates and exclusions': {
        dirIds: [2, 5, 7, 11],
        after: EPOCH + 300 * DAY,
        before: EPOCH + 900 * DAY,
        excludePhotoIds: [17, 2345],
      },
    };

    for (const [name, filter] of Object.entries(filters)) {
      it(`returns the exact top-k with filter: ${name}`, () => {
        for (const query of queries) {
          for (const k of [1, 20, 100]) {
            expectSameHits(
              index.search(query, k, filter),
              referenceSearch(photos, query, k, filter),
            );
          }
        }
      });
    }

    it('ranks every matching photo exactly inside a transaction', () => {
      db.transaction(() => {
        for (const filter of Object.values(filters)) {
          for (const query of queries) {
            expectSameHits(
              index.search(query, 50, filter),
              referenceSearch(photos, query, 50, filter),
            );
          }
        }
      })();
    });

    it('returns exactly the matching photos when fewer than k match', () => {
      const chosen = [101, 202, 303];
      db.transaction(() => {
        for (const photoId of chosen) {
          const stored = photos.get(photoId)!;
          stored.attrs = { dirId: 99, takenAt: stored.attrs.takenAt };
          index.setAttributes(photoId, stored.attrs);
        }
      })();
      const hits = index.search(queries[2]!, 10, { dirIds: [99] });
      expect(hits.map((hit) => hit.photoId).sort((a, b) => a - b)).toEqual(chosen);
      expectSameHits(hits, referenceSearch(photos, queries[2]!, 10, { dirIds: [99] }));
      expect(index.search(queries[2]!, 10, { dirIds: [] })).toEqual([]);
      expect(index.search(queries[2]!, 10, { dirIds: [12345] })).toEqual([]);
    });

    it('never matches a photo without a date to a date filter', () => {
      const undated = new Set(
        [...photos].filter(([, p]) => p.attrs.takenAt === null).map(([id]) => id),
      );
      const everything = { after: -1e15, before: 1e15 };
      const dated = index.search(queries[0]!, 3000, everything);
      expect(dated.length).toBe(photos.size - undated.size);
      expect(dated.some((hit) => undated.has(hit.photoId))).toBe(false);
      expect(index.search(queries[0]!, 3000).length).toBe(photos.size);
    });

    it('moves a photo between filters when its attributes change', () => {
      const photoId = referenceSearch(photos, queries[0]!, 1)[0]!.photoId;
      const { dirId } = photos.get(photoId)!.attrs;
      const otherDir = (dirId + 1) % DIRECTORIES;
      const top = (filter: VectorFilter) =>
        index.search(queries[0]!, 5, filter).map((hit) => hit.photoId);
      expect(top({ dirIds: [dirId] })).toContain(photoId);
      expect(top({ dirIds: [otherDir] })).not.toContain(photoId);

      index.setAttributes(photoId, { dirId: otherDir, takenAt: EPOCH - 10 * DAY });
      expect(top({ dirIds: [dirId] })).not.toContain(photoId);
      expect(top({ dirIds: [otherDir] })).toContain(photoId);
      expect(top({ before: EPOCH })).toEqual([photoId]);
      index.setAttributes(123_456, { dirId: 1, takenAt: null });
      expect(index.has(123_456)).toBe(false);
    });

    it('keeps everything when the database is reopened', () => {
      const before = queries.map((query) => index.search(query, 20, { dirIds: [1, 2, 3] }));
      db.close();
      const reopened = VectorIndex.open(openDatabase(), MODEL, DIM);
      expect(reopened.count()).toBe(3000);
      expect(reopened.get(42)).toEqual(photos.get(42)!.embedding);
      expect(queries.map((query) => reopened.search(query, 20, { dirIds: [1, 2, 3] }))).toEqual(
        before,
      );
    });

    it('sees writes committed by another connection', () => {
      const query = queries[1]!;
      expectSameHits(index.search(query, 20), referenceSearch(photos, query, 20));

      const otherDb = openDatabase();
      const other = VectorIndex.open(otherDb, MODEL, DIM);
      addPhotos(other, otherDb, generator, range(3001, 3201), photos);
      for (const photoId of [17, 2345, 3100]) {
        other.delete(photoId);
        photos.delete(photoId);
      }
      other.setAttributes(18, { dirId: 5, takenAt: null });
      photos.get(18)!.attrs = { dirId: 5, takenAt: null };

      expect(index.count()).toBe(photos.size);
      for (const filter of [{}, { dirIds: [5] }, { after: EPOCH }]) {
        expectSameHits(index.search(query, 50, filter), referenceSearch(photos, query, 50, filter));
      }
    });

    it('searches a transaction’s own writes, and forgets them when it rolls back', () => {
      const newcomer = generator.imageQueryNear(queries[0]!);
      expect(() =>
        db.transaction(() => {
          index.upsert(5000, newcomer, { dirId: 3, takenAt: null });
          expect(index.search(newcomer, 1)[0]!.photoId).toBe(5000);
          expect(index.search(newcomer, 1, { dirIds: [3] })[0]!.photoId).toBe(5000);
          throw new Error('roll back');
        })(),
      ).toThrow('roll back');
      expect(index.has(5000)).toBe(false);
      expect(index.search(newcomer, 1)[0]!.photoId).not.toBe(5000);
      expectSameHits(index.search(newcomer, 20), referenceSearch(photos, newcomer, 20));
    });
  });

  it('follows another connection through codebook training and a trimmed change log', () => {
    const db = openDatabase();
    const index = VectorIndex.open(db, MODEL, DIM);
    const generator = new ClusteredEmbeddings({ dim: DIM, clusters: 20, seed: 11 });
    const photos = new Map<number, StoredPhoto>();
    addPhotos(index, db, generator, range(1, 501), photos);
    const query = generator.textQuery();
    expectSameHits(index.search(query, 20), referenceSearch(photos, query, 20));

    const otherDb = openDatabase();
    const other = VectorIndex.open(otherDb, MODEL, DIM);
    addPhotos(other, otherDb, generator, range(501, 1501), photos);
    expectSameHits(index.search(query, 20), referenceSearch(photos, query, 20));

    other.delete(7);
    photos.delete(7);
    otherDb.transaction(() => {
      for (let change = 0; change < 70_000; change++) {
        other.setAttributes(8, { dirId: change % DIRECTORIES, takenAt: null });
      }
    })();
    photos.get(8)!.attrs = { dirId: 69_999 % DIRECTORIES, takenAt: null };
    expect(index.count()).toBe(photos.size);
    for (const filter of [{}, { dirIds: [69_999 % DIRECTORIES] }]) {
      expectSameHits(index.search(query, 40, filter), referenceSearch(photos, query, 40, filter));
    }
  });

  it('ranks a library big enough for the parallel scan like brute force', () => {
    const db = openDatabase();
    const index = VectorIndex.open(db, 'small-dim', 64);
    const generator = new ClusteredEmbeddings({ dim: 64, clusters: 100, seed: 5 });
    const photos = new Map<number, StoredPhoto>();
    addPhotos(index, db, generator, range(1, 25_001), photos);
    const queries = [generator.imageQueryNear(photos.get(99)!.embedding), generator.textQuery()];
    for (const query of queries) {
      for (const filter of [{}, { excludePhotoIds: [99] }]) {
        expectSameHits(index.search(query, 30, filter), referenceSearch(photos, query, 30, filter));
      }
    }
    // The workers answered: a failing one would have turned the pool off.
    expect(scanPool().threads).toBe(Math.min(3, os.availableParallelism() - 1));
  });

  it('keeps two models apart, and drops one without touching the other', () => {
    const db = openDatabase();
    const small = VectorIndex.open(db, 'tiny/model:64', 64);
    const large = VectorIndex.open(db, MODEL, DIM);
    const smallPhotos = new Map<number, StoredPhoto>();
    const largePhotos = new Map<number, StoredPhoto>();
    addPhotos(small, db, new ClusteredEmbeddings({ dim: 64, seed: 3 }), range(1, 201), smallPhotos);
    addPhotos(
      large,
      db,
      new ClusteredEmbeddings({ dim: DIM, seed: 4 }),
      range(101, 151),
      largePhotos,
    );

    expect(small.count()).toBe(200);
    expect(large.count()).toBe(50);
    expect(large.has(1)).toBe(false);
    const query = new ClusteredEmbeddings({ dim: 64, seed: 3 }).textQuery();
    expectSameHits(small.search(query, 30), referenceSearch(smallPhotos, query, 30));

    VectorIndex.drop(db, MODEL);
    expect(VectorIndex.exists(db, MODEL)).toBe(false);
    expect(VectorIndex.exists(db, 'tiny/model:64')).toBe(true);
    expect(small.count()).toBe(200);
    expect(VectorIndex.open(db, MODEL, DIM).count()).toBe(0);
  });

  it('refuses to open an index with another dimension', () => {
    const db = openDatabase();
    VectorIndex.open(db, MODEL, DIM);
    expect(() => VectorIndex.open(db, MODEL, 768)).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/512.*768/) }),
    );
  });
});
