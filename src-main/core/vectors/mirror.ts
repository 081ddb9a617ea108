import type Database from 'better-sqlite3';
import { byteRowBytes, byteScale } from './byte-codes';
import { codebookFromBlob, codeWords, float32FromBlob, type Codebook } from './codebook';
import { VectorSlots } from './slots';
import { readSnapshot, writeSnapshot, type SnapshotShape, type SnapshotState } from './snapshot';
import type { VectorTables } from './tables';

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
 *   log keeps only its latest rows ([Note: Log kept in proportion to the library] in
 *   vector-index.ts). Either case makes the mirror reload everything.
 * - a new mirror starts from its snapshot file when that holds a state of this database, then
 *   applies the log after it ([Note: Snapshot of the in-memory codes]).
 * Every read takes its watermark (generation, last seq) BEFORE the data, so a commit landing
 * between the two is applied again on the next sync rather than missed.
 */
export class VectorMirror {
  private readonly slots: VectorSlots;
  private readonly shape: SnapshotShape;
  private readonly snapshotFile: string | null;
  private loadedGeneration: number | null = null;
  private appliedSeq = 0;
  /** The seq of the snapshot last read or made due; the next is due SNAPSHOT_EVERY changes later. */
  private snapshotSeq = 0;
  private snapshotDue = false;
  /** Counts the changes to the columns, so a snapshot write can tell that they moved under it. */
  private changes = 0;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private snapshotWrite: Promise<void> | null = null;
  private currentCodebook: Codebook | null = null;
  private source: CodesSource = null;
  private readonly readMeta: Database.Statement<[], MetaRow>;
  private readonly readLogBounds: Database.Statement<[], LogBounds>;
  private readonly readLogPhoto: Database.Statement<[number], number>;
  private readonly countItems: Database.Statement<[], number>;
  private readonly readAllItems: Database.Statement<[], ItemRow>;
  private readonly readChangedItems: Database.Statement<[number], ChangedItemRow>;

  /** `snapshotFile`: where to keep [Note: Snapshot of the in-memory codes]; null for none. */
  constructor(
    db: Database.Database,
    tables: VectorTables,
    dim: number,
    snapshotFile: string | null,
  ) {
    this.shape = { dim, words: codeWords(dim), rowBytes: byteRowBytes(dim) };
    this.slots = new VectorSlots(this.shape.words, this.shape.rowBytes);
    this.snapshotFile = snapshotFile;
    this.readMeta = db.prepare(`SELECT generation, codebook FROM ${tables.meta}`);
    this.readLogBounds = db.prepare(
      `SELECT (SELECT min(seq) FROM ${tables.log}) AS first, (SELECT max(seq) FROM ${tables.log}) AS last`,
    );
    this.readLogPhoto = db
      .prepare<[number], number>(`SELECT photo_id FROM ${tables.log} WHERE seq = ?`)
      .pluck();
    this.countItems = db.prepare<[], number>(`SELECT count(*) FROM ${tables.items}`).pluck();
    this.readAllItems = db.prepare(
      `SELECT items.photo_id, items.dir_id, items.taken_at, items.code, embeddings.embedding
       FROM ${tables.items} AS items
       LEFT JOIN ${tables.embeddings} AS embeddings ON embeddings.photo_id = items.photo_id`,
    );
    this.readChangedItems = db.prepare(
      `SELECT log.seq, log.photo_id, items.dir_id, items.taken_at, items.code, embeddings.embedding
       FROM ${tables.log} AS log
       LEFT JOIN ${tables.items} AS items ON items.photo_id = log.photo_id
       LEFT JOIN ${tables.embeddings} AS embeddings ON embeddings.photo_id = log.photo_id
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

  /** Where the last full load of the columns came from; null before the first sync. */
  get loadedFrom(): CodesSource {
    return this.source;
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
    const restored = !this.loaded && this.restoreSnapshot(meta, bounds);
    const logTrimmedPastUs = bounds.first !== null && bounds.first > this.appliedSeq + 1;
    if (!meta || meta.generation !== this.loadedGeneration || logTrimmedPastUs) {
      this.reload(meta, lastSeq);
      this.markSnapshotDue();
      return this.slots;
    }
    if (lastSeq > this.appliedSeq) this.applyChanges();
    if (restored && this.slots.size !== this.countItems.get()) {
      this.reload(meta, lastSeq);
      this.markSnapshotDue();
    } else if (
      this.appliedSeq - this.snapshotSeq >=
      Math.max(SNAPSHOT_EVERY, this.slots.size / 16)
    ) {
      this.markSnapshotDue();
    }
    return this.slots;
  }

  private reload(meta: MetaRow | undefined, lastSeq: number): void {
    this.currentCodebook = meta?.codebook ? codebookFromBlob(meta.codebook, this.shape.dim) : null;
    this.slots.clear(this.currentCodebook ? byteScale(this.currentCodebook) : null);
    for (const row of this.readAllItems.iterate()) this.put(row);
    this.loadedGeneration = meta?.generation ?? null;
    this.appliedSeq = lastSeq;
    this.source = 'database';
    this.changes++;
  }

  private applyChanges(): void {
    for (const row of this.readChangedItems.iterate(this.appliedSeq)) {
      if (row.dir_id === null) this.slots.remove(row.photo_id);
      else this.put({ ...row, dir_id: row.dir_id });
      this.appliedSeq = row.seq;
      this.changes++;
    }
  }

  private put(row: ItemRow): void {
    const embedding = row.embedding ? float32FromBlob(row.embedding) : null;
    this.slots.put(row.photo_id, row.dir_id, row.taken_at, row.code, embedding);
  }

  /**
   * Loads the snapshot when it holds a state of this database that the log can bring up to date
   * ([Note: Snapshot of the in-memory codes]); true when it did.
   */
  private restoreSnapshot(meta: MetaRow | undefined, bounds: LogBounds): boolean {
    if (this.snapshotFile === null || !meta?.codebook) return false;
    const codebook = codebookFromBlob(meta.codebook, this.shape.dim);
    const state = readSnapshot(this.snapshotFile, this.slots, this.shape, byteScale(codebook));
    if (state === null) return false;
    if (!this.sameHistory(state, meta.generation, bounds)) {
      this.slots.clear(null);
      return false;
    }
    this.currentCodebook = codebook;
    this.loadedGeneration = meta.generation;
    this.appliedSeq = state.seq;
    this.snapshotSeq = state.seq;
    this.source = 'snapshot';
    this.changes++;
    return true;
  }

  /**
   * Whether the snapshot's state is one this database went through: its generation, and its seq
   * still in the log naming the same photo (or trimmed: sync() then sees whether the log still
   * reaches it). A log that ends before the seq belongs to an older copy of the database.
   */
  private sameHistory(state: SnapshotState, generation: number, bounds: LogBounds): boolean {
    if (state.generation !== generation || state.seq > (bounds.last ?? 0)) return false;
    if (state.seq === 0) return true;
    const photoId = this.readLogPhoto.get(state.seq);
    if (photoId !== undefined) return photoId === state.seqPhotoId;
    return bounds.first !== null && bounds.first > state.seq;
  }

  /**
   * [Note: Snapshot written off the search path] A sync that makes a snapshot due ([Note: Snapshot
   * of the in-memory codes]) only says so: writing it inside the search cost that search the whole
   * file (a million photos: ≈ 600 MB, ≈ 2 s here). The index asks for it once it has answered
   * (writeSnapshotWhenIdle), and it is written when searches have paused for SNAPSHOT_IDLE_MS,
   * with the file system's work on libuv's threads, so a search typed meanwhile is answered at
   * once; a write still due when the index is disposed (the app or the CLI closing) is written
   * then. The columns are not copied for the write: a sync that changes them while it runs makes
   * the file be dropped, and the snapshot stays due for the next pause.
   */
  writeSnapshotWhenIdle(): void {
    if (!this.snapshotDue) return;
    if (this.snapshotTimer) {
      this.snapshotTimer.refresh();
      return;
    }
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      void this.writeDueSnapshot();
    }, SNAPSHOT_IDLE_MS);
    // The timer keeps no process alive: one that ends disposes its index, which writes then.
    this.snapshotTimer.unref();
  }

  /** Writes the snapshot if one is due, after any write already under way; never throws. */
  async writeDueSnapshot(): Promise<void> {
    while (this.snapshotWrite) await this.snapshotWrite;
    if (!this.snapshotDue) return;
    this.snapshotWrite = this.writeSnapshot().finally(() => {
      this.snapshotWrite = null;
    });
    await this.snapshotWrite;
  }

  /** Stops waiting for a pause and writes a snapshot that is due. */
  async dispose(): Promise<void> {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    await this.writeDueSnapshot();
  }

  private markSnapshotDue(): void {
    this.snapshotSeq = this.appliedSeq;
    this.snapshotDue = this.snapshotFile !== null;
  }

  private async writeSnapshot(): Promise<void> {
    this.snapshotDue = false;
    const generation = this.loadedGeneration;
    if (this.snapshotFile === null || generation === null || !this.currentCodebook) return;
    const changes = this.changes;
    try {
      const seq = this.appliedSeq;
      const seqPhotoId = seq > 0 ? this.readLogPhoto.get(seq) : undefined;
      const state = { generation, seq, seqPhotoId: seqPhotoId ?? Number.NaN };
      const unchanged = () => this.changes === changes;
      const placed = await writeSnapshot(
        this.snapshotFile,
        this.slots,
        this.shape,
        state,
        unchanged,
      );
      if (!placed) this.snapshotDue = true;
    } catch {
      // A cache: without it the next start loads from SQLite ([Note: Snapshot of the in-memory codes]).
    }
  }
}

/** 'database': read from SQLite; 'snapshot': [Note: Snapshot of the in-memory codes]. */
export type CodesSource = 'database' | 'snapshot' | null;

/** Changes applied between two snapshots, at least. */
const SNAPSHOT_EVERY = 4096;

/** How long searches must pause before a due snapshot is written. */
const SNAPSHOT_IDLE_MS = 2000;

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
  embedding: Buffer | null;
}

interface ChangedItemRow {
  seq: number;
  photo_id: number;
  dir_id: number | null;
  taken_at: number | null;
  code: Buffer | null;
  embedding: Buffer | null;
}
