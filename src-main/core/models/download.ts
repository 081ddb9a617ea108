import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { acquireFileLock, FileLockHeld } from '../files/file-lock';
import { PhotoseekError } from '../../shared/errors';
import { hashFileInto } from '../files/file-hash';

export interface DownloadFileOptions {
  url: string;
  dest: string;
  /** Expected size; checked while streaming and at the end. */
  bytes?: number;
  /** Expected lower-case hex sha256 of the whole file. */
  sha256?: string;
  signal?: AbortSignal;
  /** Bytes of the file present so far (a resumed prefix included) and the total, 0 while unknown. */
  onProgress?: (received: number, total: number) => void;
}

export interface DownloadedFile {
  bytes: number;
  sha256: string;
}

/**
 * [Note: Resumable download] Bytes stream into `<dest>.part`; the final name appears only by an
 * atomic rename after size and sha256 match, so no reader ever sees a half-written model. An
 * interrupted or cancelled download keeps its `.part` and the next call asks for the rest with
 * `Range: bytes=<size>-`. A server that answers 200 (ignoring Range), 416, or a 206 starting
 * elsewhere gets a fresh download from zero. The sha256 covers the whole file: the kept prefix
 * is re-read into the hash before the new bytes. A failed check deletes the `.part`, because
 * resuming a corrupt prefix can never succeed. Without a sha256 nothing could prove that a kept
 * prefix and the new bytes are the same file (the URL may now serve other content), so such a
 * download always starts from zero. Node's global fetch (undici) is enough here: it streams and
 * follows Hugging Face's CDN redirects; a hop that drops Range answers 200, handled as above.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<DownloadedFile> {
  await mkdir(path.dirname(options.dest), { recursive: true });
  const release = await lockPart(options.dest);
  try {
    return await downloadIntoPart(options);
  } finally {
    await release();
  }
}

/**
 * [Note: One writer per download] The `.part` is resumable, so its name must be stable, and two
 * processes (the app and `photoseek models download`) appending to one `.part` would interleave
 * bytes. A lock file beside it admits one writer; a lock left by a killed process is taken over
 * ([Note: No two writers share a temporary file] covers the other atomic writes).
 */
async function lockPart(dest: string): Promise<() => Promise<void>> {
  try {
    return await acquireFileLock(`${dest}.part.lock`);
  } catch (error) {
    if (!(error instanceof FileLockHeld)) throw error;
    throw new PhotoseekError(
      'DOWNLOAD_FAILED',
      `Another Photoseek process (pid ${error.holderPid}) is downloading ${path.basename(dest)} right now. Wait for it to finish, then try again.`,
    );
  }
}

async function downloadIntoPart(options: DownloadFileOptions): Promise<DownloadedFile> {
  const { url, dest, bytes, signal } = options;
  const partPath = `${dest}.part`;
  const hash = createHash('sha256');
  let received: number;
  try {
    const kept = await keptPartSize(partPath, options);
    received =
      kept > 0 && kept === bytes
        ? await rehashCompletePart(partPath, hash, options)
        : await fetchIntoPart(partPath, kept, hash, options);
  } catch (error) {
    throw toDownloadError(error, url, signal);
  }
  const sha256 = hash.digest('hex');
  await verify({ partPath, received, sha256, options });
  await rename(partPath, dest);
  return { bytes: received, sha256 };
}

/**
 * Size of a `.part` left by an earlier attempt that can be resumed; one that cannot (no sha256
 * to check it, or longer than the expected file) is discarded.
 */
async function keptPartSize(
  partPath: string,
  { bytes, sha256 }: DownloadFileOptions,
): Promise<number> {
  const size = await stat(partPath).then(
    (info) => info.size,
    () => 0,
  );
  if (size > 0 && (sha256 === undefined || (bytes !== undefined && size > bytes))) {
    await rm(partPath, { force: true });
    return 0;
  }
  return size;
}

async function rehashCompletePart(
  partPath: string,
  hash: Hash,
  { bytes = 0, signal, onProgress }: DownloadFileOptions,
): Promise<number> {
  await hashFileInto(hash, partPath, signal);
  onProgress?.(bytes, bytes);
  return bytes;
}

async function fetchIntoPart(
  partPath: string,
  kept: number,
  hash: Hash,
  { url, bytes, signal, onProgress }: DownloadFileOptions,
): Promise<number> {
  const { response, start } = await openResponse(url, kept, signal);
  if (start > 0) await hashFileInto(hash, partPath, signal);
  const total = bytes ?? totalFromHeaders(response, start) ?? 0;
  const handle = await open(partPath, start > 0 ? 'a' : 'w');
  let received = start;
  try {
    for await (const chunk of response.body ?? []) {
      received += chunk.byteLength;
      // A server sending more than the pinned size is wrong; stop early, verify() rejects it.
      if (bytes !== undefined && received > bytes) break;
      hash.update(chunk);
      await handle.write(chunk);
      onProgress?.(received, total);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return received;
}

async function openResponse(
  url: string,
  offset: number,
  signal: AbortSignal | undefined,
): Promise<{ response: Response; start: number }> {
  const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
  const response = await fetch(url, { headers, signal: signal ?? null });
  if (offset > 0 && response.status === 206 && contentRangeStart(response) === offset) {
    return { response, start: offset };
  }
  if (offset > 0 && (response.status === 206 || response.status === 416)) {
    await response.body?.cancel();
    return openResponse(url, 0, signal);
  }
  if (response.status === 200) return { response, start: 0 };
  await response.body?.cancel();
  throw new PhotoseekError(
    'DOWNLOAD_FAILED',
    `Downloading ${url} failed: HTTP ${response.status} ${response.statusText}.`.trim(),
  );
}

const CONTENT_RANGE = /^bytes (\d+)-\d+\/(\d+|\*)$/;

function contentRangeStart(response: Response): number | undefined {
  const match = CONTENT_RANGE.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : undefined;
}

function totalFromHeaders(response: Response, start: number): number | undefined {
  const rangeTotal = CONTENT_RANGE.exec(response.headers.get('content-range') ?? '')?.[2];
  if (rangeTotal !== undefined && rangeTotal !== '*') return Number(rangeTotal);
  const length = response.headers.get('content-length');
  return length === null ? undefined : start + Number(length);
}

async function verify({
  partPath,
  received,
  sha256,
  options,
}: {
  partPath: string;
  received: number;
  sha256: string;
  options: DownloadFileOptions;
}): Promise<void> {
  const name = path.basename(options.dest);
  if (options.bytes !== undefined && received < options.bytes) {
    throw new PhotoseekError(
      'DOWNLOAD_FAILED',
      `The download of ${name} ended after ${received} of ${options.bytes} bytes. Run it again to resume.`,
    );
  }
  let problem: string | undefined;
  if (options.bytes !== undefined && received !== options.bytes) {
    problem = `expected ${options.bytes} bytes, received more`;
  } else if (options.sha256 !== undefined && sha256 !== options.sha256) {
    problem = `expected sha256 ${options.sha256}, got ${sha256}`;
  }
  if (problem === undefined) return;
  await rm(partPath, { force: true });
  throw new PhotoseekError(
    'CHECKSUM_MISMATCH',
    `${name} from ${options.url} failed verification (${problem}). The partial file was deleted; the download can be retried.`,
  );
}

/** Error codes that mean "no route to the server", as opposed to a server that failed. */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function toDownloadError(error: unknown, url: string, signal: AbortSignal | undefined): Error {
  if (error instanceof PhotoseekError) return error;
  const name = path.basename(new URL(url).pathname);
  if (signal?.aborted) {
    return new PhotoseekError(
      'CANCELLED',
      `The download of ${name} was cancelled; it resumes where it stopped next time.`,
      { cause: error },
    );
  }
  const code = networkErrorCode(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new PhotoseekError(
      'OFFLINE',
      `Could not reach ${new URL(url).host} (${code}). Check your connection, or add a local model folder with \`photoseek models add <dir>\`.`,
      { cause: error },
    );
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new PhotoseekError(
    'DOWNLOAD_FAILED',
    `The download of ${name} was interrupted (${reason}). Run it again to resume.`,
    { cause: error },
  );
}

/** undici wraps socket errors: TypeError("fetch failed") → cause (maybe an AggregateError) → code. */
function networkErrorCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    if (current instanceof AggregateError) {
      const inner = current.errors.map(networkErrorCode).find((code) => code !== undefined);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}
