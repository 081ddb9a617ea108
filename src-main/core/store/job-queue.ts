import type { SqliteDatabase } from './database';

export type JobKind = 'index' | 'remove';

export interface Job {
  path: string;
  folderId: number;
  kind: JobKind;
  priority: number;
  attempts: number;
}

export type NewJob = Omit<Job, 'attempts'> & { notBefore?: number };

/**
 * [Note: Persistent job queue] Indexing work is a table, not a list in memory: a scan or a
 * watcher event writes one row per path, and the row is deleted in the same transaction that
 * stores the result (embedding, link or failure). Quitting or crashing therefore loses nothing
 * and repeats nothing: the next start drains what is left. One row per path (a later event for
 * the same path replaces the earlier one), so bursts coalesce.
 *
 * Order: higher priority first (live changes before the backfill of an old library); within a
 * priority, index jobs before remove jobs, so that the "unlink" half of a move is handled after
 * the "add" half has re-linked the photo — a moved folder keeps its embeddings.
 */
export const JOB_PRIORITY = { backfill: 0, live: 1 } as const;

export class JobQueue {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      enqueue: db.prepare(
        `INSERT INTO jobs (path, folder_id, kind, priority, not_before, attempts, enqueued_at)
         VALUES (@path, @folderId, @kind, @priority, @notBefore, 0, @now)
         ON CONFLICT(path) DO UPDATE SET kind = excluded.kind, folder_id = excluded.folder_id,
           priority = max(jobs.priority, excluded.priority), not_before = excluded.not_before,
           attempts = 0, enqueued_at = excluded.enqueued_at`,
      ),
      next: db.prepare(
        `SELECT path, folder_id AS folderId, kind, priority, attempts FROM jobs
         WHERE not_before <= ? ORDER BY priority DESC, kind = 'remove', enqueued_at, path LIMIT ?`,
      ),
      complete: db.prepare('DELETE FROM jobs WHERE path = ?'),
      defer: db.prepare('UPDATE jobs SET not_before = ?, attempts = attempts + 1 WHERE path = ?'),
      runnable: db.prepare('SELECT count(*) AS n FROM jobs WHERE not_before <= ?'),
      total: db.prepare('SELECT count(*) AS n FROM jobs'),
      nextDeferred: db.prepare('SELECT min(not_before) AS at FROM jobs WHERE not_before > ?'),
      clear: db.prepare('DELETE FROM jobs'),
    };
  }

  enqueue(jobs: readonly NewJob[], now = Date.now()): void {
    this.db
      .transaction(() => {
        for (const job of jobs)
          this.statements.enqueue.run({ ...job, notBefore: job.notBefore ?? 0, now });
      })
      .immediate();
  }

  /** Up to `limit` runnable jobs in queue order, skipping the paths in `exclude` (in flight). */
  next(limit: number, exclude: ReadonlySet<string>, now = Date.now()): Job[] {
    const rows = this.statements.next.all(now, limit + exclude.size) as Job[];
    return rows.filter((job) => !exclude.has(job.path)).slice(0, limit);
  }

  /** Call inside the transaction that stores the job's result. */
  complete(path: string): void {
    this.statements.complete.run(path);
  }

  /** A transient failure: try again after `delayMs`. */
  defer(path: string, delayMs: number, now = Date.now()): void {
    this.statements.defer.run(now + delayMs, path);
  }

  runnableCount(now = Date.now()): number {
    return (this.statements.runnable.get(now) as { n: number }).n;
  }

  size(): number {
    return (this.statements.total.get() as { n: number }).n;
  }

  /** When the earliest deferred job becomes runnable, or null when none waits. */
  nextDeferredAt(now = Date.now()): number | null {
    return (this.statements.nextDeferred.get(now) as { at: number | null }).at;
  }

  clear(): void {
    this.statements.clear.run();
  }
}
