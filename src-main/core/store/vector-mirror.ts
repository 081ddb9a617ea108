import type Database from 'better-sqlite3';
import { codebookFromBlob, codeWords, type Codebook } from './vector-codebook';
import { VectorSlots } from './vector-slots';
import type { VectorTables } from './vector-tables';

/**
 * [Note: In-memory mirror of the items] The candidate scan runs over a copy of every photo's code
 * and filter columns held in typed arrays. SQLite stays the only source of truth; the copy follows
 * it through the change log, never through the write calls themselves, because a write can still
 * be rolled back by the caller's transaction:
 * - every upsert / setAttributes / delete appends (seq, photo_id) to <prefix>_log in the same
 *   transaction as the change;
 * - before a search, the mirror reads the log rows after the last seq it applied and re-reads those
 *   photos' rows (or drops them when the row is gone). Rows written by other connections arrive
 *   the same way.
 * - it syncs only outside transactions, so it never copies uncommitted rows; a search inside a
 *   transaction ranks exactly in SQL instead (vector-index.ts).
 * - candidates come from the copy, so they match the filter as of the sync; a search checks after
 *   ranking that the log has not moved, and if it has (another connection committed in between) it
 *   ranks them again with the filter applied in SQL.
 * - the meta row's generation changes when the tables are recreated or the codebook trained; the
 *   log keeps only its latest rows. Either case makes the mirror reload everything.
 * Every read takes its watermark (generation, last seq) BEFORE the data, so a commit landing
 * between the two is applied again on the next sync rather than missed.
 */
export class VectorMirror {
  private readonly slots: VectorSlots;
  private readonly dim: number;
  private loadedGeneration: number | null = null;
  private appliedSeq = 0;
  private currentCodebook: Codebook | null = null;
  private readonly readMeta: Database.Statement<[], MetaRow>;
  private readonly readLogBounds: Database.Statement<[], LogBounds>;
  private readonly readAllItems: Database.Statement<[], ItemRow>;
  private readonly readChangedItems: Database.Statement<[number], ChangedItemRow>;

  constructor(db: Database.Database, tables: VectorTables, dim: number) {
    this.slots = new VectorSlots(codeWords(dim));
    this.dim = dim;
    this.readMeta = db.prepare(`SELECT generation, codebook FROM ${tables.meta}`);
    this.readLogBounds = db.prepare(
      `SELECT (SELECT min(seq) FROM ${tables.log}) AS first, (SELECT max(seq) FROM ${tables.log}) AS last`,
    );
    this.readAllItems = db.prepare(`SELECT photo_id, dir_id, taken_at, code FROM ${tables.items}`);
    this.readChangedItems = db.prepare(
      `SELECT log.seq, log.photo_id, items.dir_id, items.taken_at, items.code
       FROM ${tables.log} AS log LEFT JOIN ${tables.items} AS items ON items.photo_id = log.photo_id
       WHERE log.seq > ? ORDER BY log.seq`,
    );
  }

  get loaded(): boolean {
    return this.loadedGeneration !== null;
  }

  /** The codebook the loaded codes were made with; null while the index is untrained. */
  get codebook(): Codebook | null {
    return this.currentCodebook;
  }

  /** True when nothing was committed since the last sync (the copy still matches SQLite). */
  isCurrent(): boolean {
    return (this.readLogBounds.get()?.last ?? 0) === this.appliedSeq;
  }

  /** Brings the copy up to date with what is committed. Call only outside transactions. */
  sync(): VectorSlots {
    const meta = this.readMeta.get();
    const bounds = this.readLogBounds.get() ?? { first: null, last: null };
    const lastSeq = bounds.last ?? 0;
    const logTrimmedPastUs = bounds.first !== null && bounds.first > this.appliedSeq + 1;
    if (!meta || meta.generation !== this.loadedGeneration || logTrimmedPastUs) {
      this.reload(meta, lastSeq);
    } else if (lastSeq > this.appliedSeq) {
      this.applyChanges();
    }
    return this.slots;
  }

  private reload(meta: MetaRow | undefined, lastSeq: number): void {
    this.slots.clear();
    this.currentCodebook = meta?.codebook ? codebookFromBlob(meta.codebook, this.dim) : null;
    for (const row of this.readAllItems.iterate()) {
      this.slots.put(row.photo_id, row.dir_id, row.taken_at, row.code);
    }
    this.loadedGeneration = meta?.generation ?? null;
    this.appliedSeq = lastSeq;
  }

  private applyChanges(): void {
    for (const row of this.readChangedItems.iterate(this.appliedSeq)) {
      if (row.dir_id === null) this.slots.remove(row.photo_id);
      else this.slots.put(row.photo_id, row.dir_id, row.taken_at, row.code);
      this.appliedSeq = row.seq;
    }
  }
}

interface MetaRow {
  generation: number;
  codebook: Buffer | null;
}

interface LogBounds {
  first: number | null;
  last: number | null;
}

interface ItemRow {
  photo_id: number;
  dir_id: number;
  taken_at: number | null;
  code: Buffer | null;
}

interface ChangedItemRow {
  seq: number;
  photo_id: number;
  dir_id: number | null;
  taken_at: number | null;
  code: Buffer | null;
}
