import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './process-alive';

const TEMPORARY_SUFFIX = '.tmp';
/** A temporary whose writer cannot be identified is stale after this long. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * [Note: No two writers share a temporary file] Every atomic write goes through a temporary name
 * that carries the writer's pid and 8 random bytes (`<name>.<pid>-<hex>.tmp`). A pid alone is not
 * enough: copies of one photo in one batch wrote the same thumbnail through the same temporary in
 * one process, and the second rename found the file gone (ENOENT, the whole run failed). The pid
 * stays in the name so that a sweep can tell a live writer's file from one left by a kill or a
 * full disk: a temporary is stale when its pid no longer runs on this machine, or (no pid in the
 * name) when it is older than a day.
 */
export function temporaryPathFor(target: string, dir = path.dirname(target)): string {
  return path.join(
    dir,
    `${path.basename(target)}.${process.pid}-${randomBytes(8).toString('hex')}${TEMPORARY_SUFFIX}`,
  );
}

/**
 * Deletes the stale temporaries in `dir` (not below it). Never throws. Synchronous: it serves
 * folders that hold only a few entries (model state, the thumbnails' staging folder).
 */
export function removeStaleTemporaries(dir: string, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names.filter((entry) => entry.endsWith(TEMPORARY_SUFFIX))) {
    const file = path.join(dir, name);
    try {
      if (isStale(name, statSync(file).mtimeMs, now)) rmSync(file, { force: true });
    } catch {
      // Gone already, or not ours to remove: housekeeping never fails the write it follows.
    }
  }
}

function isStale(name: string, mtimeMs: number, now: number): boolean {
  const writer = /\.(\d+)-[0-9a-f]{16}\.tmp$/.exec(name);
  return writer ? !isProcessAlive(Number(writer[1])) : now - mtimeMs > STALE_AFTER_MS;
}
