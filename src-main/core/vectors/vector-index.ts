import type Database from 'better-sqlite3';
import { PhotoseekError } from '../../shared/errors';
import { selectCandidates, Scratch, type SlotFilter } from './candidates';
import {
  codebookFromBlob,
  codebookToBlob,
  encode,
  float32FromBlob,
  toBlob,
  trainCodebook,
  type Codebook,
} from './codebook';
import { ExactRanking } from './exact-ranking';
import { VectorMirror, type CodesSource } from './mirror';
import type { VectorSlots } from './slots';
import { removeSnapshot, snapshotPath } from './snapshot';
import {
  dropVectorTables,
  ensureVectorTables,
  newGeneration,
  vectorTables,
  vectorTablesExist,
  type VectorTables,
} from './tables';

/** dirId: id of the photo's directory (`dirs.id`); takenAt: ms since epoch, or null. */
export interface VectorAttributes {
  dirId: number;
  takenAt: number | null;
}

/**
 * A photo matches when its dirId is in `dirIds` (an empty list matches nothing), it is one of
 * `photoIds` when given (an empty list matches nothing), its takenAt is in [after, before) (a
 * photo without a date never matches a date bound) and it is not excluded.
 */
export interface VectorFilter {
  dirIds?: readonly number[];
  /** [Note: Catalogue filters] The photos whose catalogue facts match (camera, format, …). */
  photoIds?: readonly number[];
  after?: number;
  before?: number;
  excludePhotoIds?: readonly number[];
}

/** score: cosine similarity; hits come best first. */
export interface VectorHit {
  photoId: number;
  score: number;
}

/**
 * [Note: Vector search design] A search returns the exact cosine top-k among the photos matching
 * the filter; an estimate only decides which matching photos get ranked exactly. Two stages:
 * 1. Candidates, in memory: a scan over every photo's filter columns and 2-bit code
 *    ([Note: Binary codes with asymmetric scoring]), spread over the spare cores ([Note: Parallel
 *    coarse scan]), keeps the matching photos whose estimated score may reach the top k ([Note:
 *    Candidate count]). A filter matching few photos keeps all of them: ranked outright.
 * 2. Exact ranking, in SQL: vec_distance_cosine over the candidates' float32 embeddings
 *    (vectors/exact-ranking.ts).
 * Every candidate matches the filter, so the results never hold a non-matching photo, and there
 * are min(k, matching photos) of them; what the estimate can cost is recall (≥ 0.99 at 1M in the
 * bench). Why not vec0 (sqlite-vec 0.1.9, measured on 100k × 512, one core): a vec0 KNN is a flat
 * scan whose top-k selection costs O(rows × k): float[512] takes 70 ms; bit[512] 3 ms at k = 20
 * but 22 ms at k = 200 and 48 ms at k = 400, and Hamming candidates need 400+ of them for recall
 * 0.99 on image queries and thousands on text queries. A filtered float[512] KNN still reads
 * every chunk (35–45 ms however selective). A point lookup of one vector in vec0 costs ~200 µs
 * (3 µs in a plain table), which rules it out for re-ranking, and metadata columns cannot hold
 * NULL (a photo without a date). The JS scan of 64-byte sign planes takes ~4.5 ms per 100k
 * photos on one core and scores asymmetrically, which Hamming distance cannot. vec0 findings: [Note: sqlite-vec
 * 0.1.9 limits]. Searches inside a caller's transaction rank every matching photo in SQL
 * ([Note: In-memory mirror of the items]): exact, but O(matching photos), ~1–2 µs each.
 *
 * [Note: sqlite-vec 0.1.9 limits] Probed with small experiments: metadata columns filter inside the
 * KNN scan with =, !=, <, <=, >, >= and IN (literal lists, bound parameters, or
 * `IN (SELECT value FROM json_each(?))`), also on bit[] vectors; a `photo_id IN (...)` list
 * pre-filters too, but `photo_id NOT IN (...)` is applied AFTER the scan (k = 3 returned 2 rows).
 * NULL cannot be stored in a metadata column ("Expected integer ... received NULL") and IS NULL /
 * IS NOT NULL are rejected in KNN queries. k is capped at 4096. `distance < x` constraints are
 * applied before the top-k selection, so they are cheap. Integer columns need BigInt parameters
 * from better-sqlite3 (a JS number binds as REAL).
 */
export class VectorIndex {
  private readonly db: Database.Database;
  private readonly dim: number;
  private readonly mirror: VectorMirror;
  private readonly exactRanking: ExactRanking;
  private readonly scratch = new Scratch();
  private codebook: Codebook | null;
  private readonly statements: ReturnType<typeof prepareStatements>;

  private constructor(db: Database.Database, tables: VectorTables, dim: number) {
    this.db = db;
    this.dim = dim;
    this.mirror = new VectorMirror(db, tables, dim, snapshotFile(db, tables));
    this.exactRanking = new ExactRanking(db, tables);
    this.statements = prepareStatements(db, tables);
    this.codebook = this.storedCodebook();
  }

  /** Opens (creating if missing) the index for one model; the database has sqlite-vec loaded. */
  static open(db: Database.Database, modelId: string, dim: number): VectorIndex {
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `An embedding dimension must be 1–${MAX_DIM}, not ${dim}.`,
      );
    }
    const tables = vectorTables(modelId);
    ensureVectorTables(db, tables, modelId, dim);
    return new VectorIndex(db, tables, dim);
  }

  static exists(db: Database.Database, modelId: string): boolean {
    return vectorTablesExist(db, vectorTables(modelId));
  }

  static drop(db: Database.Database, modelId: string): void {
    const tables = vectorTables(modelId);
    dropVectorTables(db, tables);
    const snapshot = snapshotFile(db, tables);
    if (snapshot !== null) removeSnapshot(snapshot);
  }

  /** `embedding` is L2-normalised, of length dim. Runs inside the caller's transaction, if any. */
  upsert(photoId: number, embedding: Float32Array, attrs: VectorAttributes): void {
    checkPhotoId(photoId);
    this.checkVector(embedding, 'embedding');
    checkAttributes(attrs);
    if (!this.codebook) this.codebook = this.storedCodebook();
    const code = this.codebook ? toBlob(encode(embedding, this.codebook)) : null;
    // Embedding first: outside a transaction, an interruption leaves an embedding without its
    // item (never a candidate; get() joins the item), never an item without its embedding.
    this.statements.upsertEmbedding.run(photoId, toBlob(embedding));
    this.statements.upsertItem.run(photoId, attrs.dirId, attrs.takenAt, code);
    this.logChange(photoId);
    if (!this.codebook) this.trainWhenReady();
  }

  /** Changes a photo's filter columns; does nothing when the photo has no vector. */
  setAttributes(photoId: number, attrs: VectorAttributes): void {
    checkPhotoId(photoId);
    checkAttributes(attrs);
    const { changes } = this.statements.updateAttributes.run(attrs.dirId, attrs.takenAt, photoId);
    if (changes > 0) this.logChange(photoId);
  }

  delete(photoId: number): void {
    checkPhotoId(photoId);
    const item = this.statements.deleteItem.run(photoId);
    const embedding = this.statements.deleteEmbedding.run(photoId);
    if (item.changes + embedding.changes > 0) this.logChange(photoId);
  }

  has(photoId: number): boolean {
    return this.statements.hasItem.get(photoId) !== undefined;
  }

  get(photoId: number): Float32Array | null {
    const blob = this.statements.getEmbedding.get(photoId);
    return blob ? float32FromBlob(blob) : null;
  }

  /** Every photo id with a vector. */
  photoIds(): number[] {
    return this.statements.allPhotoIds.all();
  }

  /** Every stored vector, for whole-library work (clusters): photo id and embedding. */
  *entries(): Generator<[number, Float32Array]> {
    for (const row of this.statements.allEmbeddings.iterate()) {
      yield [row.photo_id, float32FromBlob(row.embedding)];
    }
  }

  count(): number {
    if (this.mirror.loaded && !this.db.inTransaction) return this.mirror.sync().size;
    return this.statements.countItems.get()!;
  }

  /** Where the in-memory codes were last loaded from (SQLite or their snapshot file). */
  codesLoadedFrom(): CodesSource {
    return this.mirror.loadedFrom;
  }

  /** Every stored vector, packed row after row (`vectors[i * dim ...]` belongs to `photoIds[i]`). */
  all(): { photoIds: number[]; vectors: Float32Array } {
    const rows = this.statements.allEmbeddings.all();
    const vectors = new Float32Array(rows.length * this.dim);
    rows.forEach((row, i) => vectors.set(float32FromBlob(row.embedding), i * this.dim));
    return { photoIds: rows.map((row) => row.photo_id), vectors };
  }

  /** The exact top-k (cosine) of the photos matching `filter`, best first. */
  search(query: Float32Array, k: number, filter: VectorFilter = {}): VectorHit[] {
    this.checkVector(query, 'query');
    if (!Number.isInteger(k) || k < 0) {
      throw new PhotoseekError('BAD_ARGUMENT', `k must be a whole number ≥ 0, not ${k}.`);
    }
    if (k === 0 || filter.dirIds?.length === 0 || filter.photoIds?.length === 0) return [];
    if (this.db.inTransaction) return this.exactRanking.rank(query, k, filter, null);

    const hits = this.searchCandidates(query, k, filter);
    this.mirror.writeSnapshotWhenIdle();
    return hits;
  }

  /**
   * Writes the snapshot of the in-memory codes if one is due ([Note: Snapshot written off the
   * search path]). Call before closing the database; the index stays usable.
   */
  dispose(): Promise<void> {
    return this.mirror.dispose();
  }

  private searchCandidates(query: Float32Array, k: number, filter: VectorFilter): VectorHit[] {
    const slots = this.mirror.sync();
    const slotFilter = toSlotFilter(filter, slots);
    const codebook = this.mirror.codebook;
    const candidates = selectCandidates(slots, codebook, query, k, slotFilter, this.scratch);
    if (candidates.length === 0) return [];
    const hits = this.exactRanking.rank(query, k, filter, {
      photoIds: candidates,
      recheckFilter: false,
    });
    if (this.mirror.isCurrent()) return hits;
    return this.exactRanking.rank(query, k, filter, { photoIds: candidates, recheckFilter: true });
  }

  private checkVector(vector: Float32Array, name: string): void {
    if (!(vector instanceof Float32Array) || vector.length !== this.dim) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `The ${name} must be a Float32Array of ${this.dim} numbers, got ${describeVector(vector)}.`,
      );
    }
    let squares = 0;
    for (const value of vector) squares += value * value;
    if (!Number.isFinite(squares) || squares === 0) {
      throw new PhotoseekError('BAD_ARGUMENT', `The ${name} must be finite and not all zero.`);
    }
  }

  private storedCodebook(): Codebook | null {
    const blob = this.statements.readCodebook.get();
    return blob ? codebookFromBlob(blob, this.dim) : null;
  }

  /**
   * [Note: Codebook training] The codebook is trained once, from the first TRAINING_SIZE vectors,
   * and frozen: every code must be made with the codebook the queries use. A codebook biased to the
   * first folders indexed only costs recall (the candidates are re-ranked exactly), and a library
   * mean settles quickly. Until then the index is small enough to rank every photo exactly. Codes
   * are written before the meta row, so an interrupted training leaves an untrained index.
   */
  private trainWhenReady(): void {
    if (this.statements.countItems.get()! < TRAINING_SIZE) return;
    const rows = this.statements.allEmbeddings.all();
    const codebook = trainCodebook(
      rows.map((row) => float32FromBlob(row.embedding)),
      this.dim,
    );
    for (const row of rows) {
      const code = encode(float32FromBlob(row.embedding), codebook);
      this.statements.setCode.run(toBlob(code), row.photo_id);
    }
    this.statements.writeCodebook.run(codebookToBlob(codebook), newGeneration());
    this.codebook = codebook;
  }

  /**
   * [Note: In-memory mirror of the items]. [Note: Log kept in proportion to the library] The log
   * keeps its latest LOG_KEPT rows, and at least twice as many as the largest photo id (about the
   * library's size, found in O(log n)): a mirror or snapshot that fell behind by fewer changes than
   * that catches up from the log, and a longer gap reloads everything, which then costs about what
   * applying the changes would. A fixed 65,536 rows made a 1M-photo mirror reload every item and
   * embedding (minutes there, [Note: Snapshot of the in-memory codes]) after any 65,536 changes
   * it had not seen, e.g. indexing 70,000 photos without a search in between. Rows are ~20 bytes.
   */
  private logChange(photoId: number): void {
    const seq = Number(this.statements.appendLog.run(photoId).lastInsertRowid);
    if (seq % LOG_TRIM_EVERY !== 0) return;
    const kept = Math.max(LOG_KEPT, 2 * (this.statements.largestPhotoId.get() ?? 0));
    this.statements.trimLog.run(seq - kept);
  }
}

const MAX_DIM = 8192;
const TRAINING_SIZE = 1024;
const LOG_TRIM_EVERY = 1024;
const LOG_KEPT = 65_536;

function prepareStatements(db: Database.Database, tables: VectorTables) {
  const { meta, items, embeddings, log } = tables;
  return {
    upsertEmbedding: db.prepare<[number, Buffer]>(
      `INSERT INTO ${embeddings} (photo_id, embedding) VALUES (?, ?)
       ON CONFLICT (photo_id) DO UPDATE SET embedding = excluded.embedding`,
    ),
    upsertItem: db.prepare<[number, number, number | null, Buffer | null]>(
      `INSERT INTO ${items} (photo_id, dir_id, taken_at, code) VALUES (?, ?, ?, ?)
       ON CONFLICT (photo_id) DO UPDATE
       SET dir_id = excluded.dir_id, taken_at = excluded.taken_at, code = excluded.code`,
    ),
    updateAttributes: db.prepare<[number, number | null, number]>(
      `UPDATE ${items} SET dir_id = ?, taken_at = ? WHERE photo_id = ?`,
    ),
    setCode: db.prepare<[Buffer, number]>(`UPDATE ${items} SET code = ? WHERE photo_id = ?`),
    deleteItem: db.prepare<[number]>(`DELETE FROM ${items} WHERE photo_id = ?`),
    deleteEmbedding: db.prepare<[number]>(`DELETE FROM ${embeddings} WHERE photo_id = ?`),
    hasItem: db.prepare<[number], 1>(`SELECT 1 FROM ${items} WHERE photo_id = ?`).pluck(),
    getEmbedding: db
      .prepare<[number], Buffer>(
        `SELECT embedding FROM ${embeddings} JOIN ${items} USING (photo_id) WHERE photo_id = ?`,
      )
      .pluck(),
    countItems: db.prepare<[], number>(`SELECT count(*) FROM ${items}`).pluck(),
    largestPhotoId: db.prepare<[], number | null>(`SELECT max(photo_id) FROM ${items}`).pluck(),
    allPhotoIds: db.prepare<[], number>(`SELECT photo_id FROM ${items}`).pluck(),
    allEmbeddings: db.prepare<[], { photo_id: number; embedding: Buffer }>(
      `SELECT photo_id, embedding FROM ${embeddings} JOIN ${items} USING (photo_id)`,
    ),
    readCodebook: db.prepare<[], Buffer | null>(`SELECT codebook FROM ${meta}`).pluck(),
    writeCodebook: db.prepare<[Buffer, number]>(`UPDATE ${meta} SET codebook = ?, generation = ?`),
    appendLog: db.prepare<[number]>(`INSERT INTO ${log} (photo_id) VALUES (?)`),
    trimLog: db.prepare<[number]>(`DELETE FROM ${log} WHERE seq <= ?`),
  };
}

/** Where the mirror keeps its snapshot: next to the database file; none for an in-memory one. */
function snapshotFile(db: Database.Database, tables: VectorTables): string | null {
  return db.memory || db.name === '' ? null : snapshotPath(db.name, tables.prefix);
}

function toSlotFilter(filter: VectorFilter, slots: VectorSlots): SlotFilter {
  let dirMask: Uint8Array | null = null;
  if (filter.dirIds !== undefined) {
    dirMask = new Uint8Array(slots.dirCount);
    for (const dirId of filter.dirIds) {
      const dirIndex = slots.dirIndex(dirId);
      if (dirIndex !== undefined) dirMask[dirIndex] = 1;
    }
  }
  let slotMask: Uint8Array | null = null;
  if (filter.photoIds !== undefined) {
    slotMask = new Uint8Array(slots.size);
    for (const photoId of filter.photoIds) {
      const slot = slots.slot(photoId);
      if (slot !== undefined) slotMask[slot] = 1;
    }
  }
  const hasDate = filter.after !== undefined || filter.before !== undefined;
  return {
    dirMask,
    slotMask,
    dateRange: hasDate ? [filter.after ?? -Infinity, filter.before ?? Infinity] : null,
    excludePhotoIds: filter.excludePhotoIds ?? [],
  };
}

function checkPhotoId(photoId: number): void {
  if (!Number.isSafeInteger(photoId)) {
    throw new PhotoseekError('BAD_ARGUMENT', `A photo id must be a whole number, not ${photoId}.`);
  }
}

function checkAttributes(attrs: VectorAttributes): void {
  if (!Number.isSafeInteger(attrs.dirId)) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `A directory id must be a whole number, not ${attrs.dirId}.`,
    );
  }
  if (attrs.takenAt !== null && !Number.isFinite(attrs.takenAt)) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `takenAt must be a finite number or null, not ${attrs.takenAt}.`,
    );
  }
}

function describeVector(vector: unknown): string {
  if (vector instanceof Float32Array) return `${vector.length} numbers`;
  return vector === null
    ? 'null'
    : typeof vector === 'object'
      ? vector.constructor.name
      : typeof vector;
}
