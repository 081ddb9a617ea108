import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { removeStaleTemporaries, temporaryPathFor } from './temporary-file';

/**
 * Writes JSON so that readers see either the old file or the new one, never half of either:
 * write and flush a temporary sibling of its own ([Note: No two writers share a temporary file]),
 * then rename it over the target (atomic on one file system). Temporaries that a killed writer
 * left in the folder are swept afterwards.
 */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = temporaryPathFor(file);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  removeStaleTemporaries(path.dirname(file));
}
