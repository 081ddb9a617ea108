import type Database from 'better-sqlite3';
import { PhotoseekError } from '../../shared/errors';

/**
 * [Note: Vector tables] Each model's vectors live in four plain tables named from the model id:
 *   <prefix>_meta        one row: model id, dimension, generation, codebook (NULL until trained)
 *   <prefix>_items       photo id → filter columns (dir_id, taken_at) and the 2-bit code; small
 *                        rows, so loading every code into memory reads little
 *   <prefix>_embeddings  photo id → float32 embedding, for exact scores
 *   <prefix>_log         one row per change, so every connection can bring its in-memory copy of
 *                        the items up to date (vectors/mirror.ts)
 * The prefix is `vec_` + a readable slug + a hash of the exact model id, so two ids that slug
 * alike never share tables. Why not vec0: see [Note: Vector search design] in vector-index.ts.
 */
export interface VectorTables {
  /** `vec_<slug>_<hash>`: the tables' common prefix. */
  readonly prefix: string;
  readonly meta: string;
  readonly items: string;
  readonly embeddings: string;
  readonly log: string;
}

export function vectorTables(modelId: string): VectorTables {
  const slug = modelId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  const prefix = `vec_${slug}_${fnv1a(modelId)}`;
  return {
    prefix,
    meta: `${prefix}_meta`,
    items: `${prefix}_items`,
    embeddings: `${prefix}_embeddings`,
    log: `${prefix}_log`,
  };
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export function vectorTablesExist(db: Database.Database, tables: VectorTables): boolean {
  return (
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(tables.meta) !==
    undefined
  );
}

/** Creates the tables when missing and checks the stored model id and dimension. */
export function ensureVectorTables(
  db: Database.Database,
  tables: VectorTables,
  modelId: string,
  dim: number,
): void {
  db.transaction(() => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${tables.meta} (
        id                INTEGER PRIMARY KEY CHECK (id = 1),
        model_id          TEXT NOT NULL,
        dim               INTEGER NOT NULL,
        generation        INTEGER NOT NULL,
        codebook          BLOB
      );
      CREATE TABLE IF NOT EXISTS ${tables.items} (
        photo_id  INTEGER PRIMARY KEY,
        dir_id    INTEGER NOT NULL,
        taken_at  INTEGER,
        code      BLOB
      );
      CREATE TABLE IF NOT EXISTS ${tables.embeddings} (
        photo_id  INTEGER PRIMARY KEY,
        embedding BLOB NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${tables.log} (
        seq       INTEGER PRIMARY KEY,
        photo_id  INTEGER NOT NULL
      );
    `);
    db.prepare(
      `INSERT INTO ${tables.meta} (id, model_id, dim, generation) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ).run(modelId, dim, newGeneration());
  }).immediate();

  const stored = db.prepare(`SELECT model_id, dim FROM ${tables.meta}`).get() as
    { model_id: string; dim: number } | undefined;
  if (stored?.model_id !== modelId) {
    throw new PhotoseekError(
      'DATABASE',
      `The vector tables ${tables.meta} belong to model "${stored?.model_id}", not "${modelId}".`,
    );
  }
  if (stored.dim !== dim) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `The vector index of model "${modelId}" holds ${stored.dim}-dimensional embeddings, not ${dim}: ` +
        'drop it and index the library again.',
    );
  }
}

export function dropVectorTables(db: Database.Database, tables: VectorTables): void {
  db.transaction(() => {
    for (const table of [tables.log, tables.embeddings, tables.items, tables.meta]) {
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    }
  }).immediate();
}

/**
 * A random id for one state of the codebook: it changes when the tables are created or the
 * codebook is trained, which tells every in-memory copy to reload from scratch.
 */
export function newGeneration(): number {
  return Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
}
