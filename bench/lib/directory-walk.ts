import { readdir } from 'node:fs/promises';
import { median } from './median';

/**
 * A bare directory walk: every file under `root` listed by name and type (one readdir per
 * folder, no stat), the floor that a rescan of unchanged files is compared with. Median of `reps`
 * walks, on a warm file cache like the rescan it is compared with.
 */
export async function timeDirectoryWalk(
  root: string,
  reps: number,
): Promise<{ files: number; seconds: number }> {
  const seconds: number[] = [];
  let files = 0;
  for (let rep = 0; rep < reps; rep++) {
    const started = performance.now();
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    files = entries.filter((entry) => entry.isFile()).length;
    seconds.push((performance.now() - started) / 1000);
  }
  return { files, seconds: median(seconds) };
}
