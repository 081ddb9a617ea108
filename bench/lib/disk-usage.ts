import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** A SQLite database's bytes on disk, with its WAL and shared-memory files. */
export function databaseBytes(file: string): number {
  return ['', '-wal', '-shm'].reduce(
    (total, suffix) => total + (statSync(file + suffix, { throwIfNoEntry: false })?.size ?? 0),
    0,
  );
}

/** Bytes of every file under `dir` (0 when it does not exist). */
export function treeBytes(dir: string): number {
  if (!statSync(dir, { throwIfNoEntry: false })) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + statSync(path.join(entry.parentPath, entry.name)).size, 0);
}
