import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Thumbnails are JPEG files keyed by content hash (`<dir>/ab/abcdef….jpg`), so duplicates share
 * one and a moved photo keeps its thumbnail. Written to a temporary name and renamed, so a crash
 * never leaves a half-written thumbnail behind.
 */
export class ThumbnailCache {
  constructor(readonly dir: string) {}

  pathFor(contentHash: string): string {
    return path.join(this.dir, contentHash.slice(0, 2), `${contentHash}.jpg`);
  }

  async write(contentHash: string, jpeg: Buffer): Promise<void> {
    const target = this.pathFor(contentHash);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, jpeg);
    await rename(temporary, target);
  }

  async remove(contentHash: string): Promise<void> {
    await rm(this.pathFor(contentHash), { force: true });
  }
}
