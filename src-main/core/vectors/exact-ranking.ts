import type Database from 'better-sqlite3';
import { toBlob } from './codebook';
import type { VectorFilter, VectorHit } from './vector-index';
import type { VectorTables } from './tables';

/**
 * Ranks photos by exact cosine similarity in SQL (sqlite-vec's vec_distance_cosine over the float32
 * embeddings), best first, ties by photo id. Either every photo that matches the filter's WHERE
 * terms (a search inside a transaction, where the in-memory mirror may not follow), or given
 * candidates: those already match the filter as of the mirror's last sync, so the filter terms are
 * needed again only when something was committed since ([Note: In-memory mirror of the items]).
 * The items table is joined only when a term reads it (or every photo is ranked: an embedding
 * counts only with its item). One statement per combination of terms, prepared on first use.
 */
export class ExactRanking {
  private readonly db: Database.Database;
  private readonly tables: VectorTables;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database, tables: VectorTables) {
    this.db = db;
    this.tables = tables;
  }

  rank(
    query: Float32Array,
    k: number,
    filter: VectorFilter,
    candidates: { photoIds: readonly number[]; recheckFilter: boolean } | null,
  ): VectorHit[] {
    const terms: Term[] = [];
    const params: Record<string, unknown> = { query: toBlob(query), k };
    if (candidates !== null) {
      terms.push('candidates');
      params['candidates'] = JSON.stringify(candidates.photoIds);
    }
    if (candidates === null || candidates.recheckFilter) {
      if (filter.dirIds !== undefined) {
        terms.push('dirIds');
        params['dirIds'] = JSON.stringify(filter.dirIds);
      }
      if (filter.photoIds !== undefined) {
        terms.push('photoIds');
        params['photoIds'] = JSON.stringify(filter.photoIds);
      }
      if (filter.after !== undefined) {
        terms.push('after');
        params['after'] = filter.after;
      }
      if (filter.before !== undefined) {
        terms.push('before');
        params['before'] = filter.before;
      }
      if (filter.excludePhotoIds !== undefined && filter.excludePhotoIds.length > 0) {
        terms.push('exclude');
        params['exclude'] = JSON.stringify(filter.excludePhotoIds);
      }
    }
    return this.statement(terms).all(params) as VectorHit[];
  }

  private statement(terms: readonly Term[]): Database.Statement {
    const key = terms.join(',');
    let statement = this.statements.get(key);
    if (!statement) {
      const where = terms.map((term) => TERM_SQL[term]);
      const joinItems =
        !terms.includes('candidates') || terms.some((term) => ITEM_TERMS.includes(term));
      statement = this.db.prepare(
        `SELECT embeddings.photo_id AS photoId,
                1.0 - vec_distance_cosine(embeddings.embedding, @query) AS score
         FROM ${this.tables.embeddings} AS embeddings
         ${joinItems ? `JOIN ${this.tables.items} AS items ON items.photo_id = embeddings.photo_id` : ''}
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY score DESC, embeddings.photo_id
         LIMIT @k`,
      );
      this.statements.set(key, statement);
    }
    return statement;
  }
}

type Term = 'candidates' | 'dirIds' | 'photoIds' | 'after' | 'before' | 'exclude';

const ITEM_TERMS: readonly Term[] = ['dirIds', 'after', 'before'];

const TERM_SQL: Record<Term, string> = {
  candidates: 'embeddings.photo_id IN (SELECT value FROM json_each(@candidates))',
  dirIds: 'items.dir_id IN (SELECT value FROM json_each(@dirIds))',
  photoIds: 'embeddings.photo_id IN (SELECT value FROM json_each(@photoIds))',
  after: 'items.taken_at >= @after',
  before: 'items.taken_at < @before',
  exclude: 'embeddings.photo_id NOT IN (SELECT value FROM json_each(@exclude))',
};
