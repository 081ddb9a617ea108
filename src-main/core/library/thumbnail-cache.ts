import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemporaries, temporaryPathFor } from '../files/temporary-file';

/**
 * Thumbnails are JPEG files keyed by content hash (`<dir>/ab/abcdef….jpg`), so duplicates share
 * one and a moved photo keeps its thumbnail. Written to a temporary of its own in `<dir>/.staging`
 * and renamed ([Note: No two writers share a temporary file]), so a crash never leaves a
 * half-written thumbnail behind and two writers of one thumbnail (copies of a photo, a second
 * process) never step on each other: the last rename wins, and both wrote the same picture.
 * Keeping the temporaries in one folder makes the sweep of those a kill left behind one small
 * readdir instead of a walk over every thumbnail.
 */
export class ThumbnailCache {
  private readonly stagingDir: string;

  constructor(readonly dir: string) {
    this.stagingDir = path.join(dir, '.staging');
  }

  pathFor(contentHash: string): string {
    return path.join(this.dir, contentHash.slice(0, 2), `${contentHash}.jpg`);
  }

  async write(contentHash: string, jpeg: Buffer): Promise<void> {
    const target = this.pathFor(contentHash);
    await Promise.all([
      mkdir(path.dirname(target), { recursive: true }),
      mkdir(this.stagingDir, { recursive: true }),
    ]);
    const temporary = temporaryPathFor(target, this.stagingDir);
    try {
      await writeFile(temporary, jpeg);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async remove(contentHash: string): Promise<void> {
    await rm(this.pathFor(contentHash), { force: true });
  }

  /** Deletes temporaries left by a killed writer or a full disk. */
  removeStaleTemporaries(): void {
    removeStaleTemporaries(this.stagingDir);
  }
}
