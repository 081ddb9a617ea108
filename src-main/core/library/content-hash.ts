import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

/**
 * [Note: Content identity] A photo is its content, not its path: the key is a SHA-256 over the
 * file size and three 64 KiB samples (start, middle, end), like rclip's partial hash. Reading
 * 192 KiB instead of a whole 25 MB RAW keeps re-identification after a move cheap, and the size
 * plus the end sample separates edits that keep the header. Moving or renaming a file therefore
 * finds the same photo row and its embedding; nothing is decoded or embedded again.
 */
const SAMPLE_BYTES = 64 * 1024;

export async function contentHash(filePath: string, size: number): Promise<string> {
  const handle = await open(filePath, 'r');
  try {
    const hash = createHash('sha256');
    hash.update(`photoseek-v1:${size}:`);
    if (size <= SAMPLE_BYTES * 3) {
      hash.update(await readAt(handle, 0, size));
    } else {
      const middle = Math.floor(size / 2 - SAMPLE_BYTES / 2);
      for (const offset of [0, middle, size - SAMPLE_BYTES]) {
        hash.update(await readAt(handle, offset, SAMPLE_BYTES));
      }
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
