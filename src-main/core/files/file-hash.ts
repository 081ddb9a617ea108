import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Feeds a file's bytes into `hash` (streamed: model files are hundreds of MB). */
export async function hashFileInto(hash: Hash, file: string, signal?: AbortSignal): Promise<void> {
  const stream = createReadStream(file, signal ? { signal } : {});
  for await (const chunk of stream) hash.update(chunk as Buffer);
}

/** Lower-case hex sha256 of a file. */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, file, signal);
  return hash.digest('hex');
}
