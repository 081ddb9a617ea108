import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { isProcessAlive } from '../files/process-alive';
import type { SqliteDatabase } from './database';

export interface LeaseHolder {
  pid: number;
  host: string;
  /** What the holder is, in words: "photoseek index", "Photoseek app". */
  label: string;
  heartbeatAt: number;
}

export type LeaseAttempt = { acquired: true } | { acquired: false; holder: LeaseHolder };

/** A holder that has not renewed for this long is gone (killed, frozen, on another machine). */
export const LEASE_EXPIRY_MS = 30_000;
const HEARTBEAT_MS = 5_000;

/**
 * [Note: One writer drains the queue] Several processes may open one library at once (the app,
 * `photoseek watch`, a second `photoseek index`). All of them may read (search, status) and add
 * work to the queue (a scan, a watcher event): those are short write transactions that SQLite
 * serialises. Draining the queue — decoding, embedding, storing — is done by one process at a
 * time, the holder of the `queue` lease: a row in `leases` with the holder's pid, host and a
 * heartbeat renewed every 5 s while it drains. Others wait for the lease (the CLI says so) and
 * meanwhile the holder drains their jobs too, because the queue is one table. A killed holder
 * cannot leave the lease stuck: on its own machine a dead pid frees it at once, and from anywhere
 * a heartbeat older than LEASE_EXPIRY_MS does. Without the lease two drains decoded and embedded
 * the same files and the loser's write died with SQLITE_BUSY.
 */
export class WriterLease {
  private readonly host = os.hostname();
  /** Tells two libraries opened by one process apart (same pid and host). */
  private readonly token = randomUUID();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly statements;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly label: string,
    private readonly name = 'queue',
  ) {
    this.statements = {
      read: db.prepare(
        `SELECT token, pid, host, label, heartbeat_at AS heartbeatAt FROM leases WHERE name = ?`,
      ),
      take: db.prepare(
        `INSERT INTO leases (name, token, pid, host, label, acquired_at, heartbeat_at)
         VALUES (@name, @token, @pid, @host, @label, @now, @now)
         ON CONFLICT(name) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host, label = excluded.label,
           acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
      ),
      renew: db.prepare('UPDATE leases SET heartbeat_at = ? WHERE name = ? AND token = ?'),
      release: db.prepare('DELETE FROM leases WHERE name = ? AND token = ?'),
    };
  }

  /** Takes the lease when it is free, expired, ours already, or held by a dead process here. */
  tryAcquire(now = Date.now()): LeaseAttempt {
    const attempt = this.db
      .transaction((): LeaseAttempt => {
        const row = this.statements.read.get(this.name) as
          (LeaseHolder & { token: string }) | undefined;
        if (row && row.token !== this.token && this.isAlive(row, now)) {
          const { token: _token, ...holder } = row;
          return { acquired: false, holder };
        }
        this.statements.take.run({
          name: this.name,
          token: this.token,
          pid: process.pid,
          host: this.host,
          label: this.label,
          now,
        });
        return { acquired: true };
      })
      .immediate();
    if (attempt.acquired && !this.heartbeat) {
      this.heartbeat = setInterval(() => this.renew(), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    return attempt;
  }

  release(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    try {
      this.statements.release.run(this.name, this.token);
    } catch {
      // The database is closing or unusable: the lease expires on its own.
    }
  }

  private renew(): void {
    try {
      this.statements.renew.run(Date.now(), this.name, this.token);
    } catch {
      // Busy or closing: the next beat tries again, well within LEASE_EXPIRY_MS.
    }
  }

  private isAlive(holder: LeaseHolder, now: number): boolean {
    if (now - holder.heartbeatAt > LEASE_EXPIRY_MS) return false;
    // Same machine: a dead pid frees the lease at once. (Our own pid with another token is a
    // second library object in this process, alive by definition.)
    return holder.host !== this.host || isProcessAlive(holder.pid);
  }
}
