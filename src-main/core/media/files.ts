import { open } from 'node:fs/promises';
import path from 'node:path';
import type { ImageFormat } from '../../shared/types';
import { decodeImageBytes } from './decode';
import type { DecodedImage, DecodeOptions } from './decode';
import { fsErrorToMediaError, MediaError, throwIfAborted } from './errors';
import { readImageFile } from './read';
import { sniffFormat } from './sniff';

export type DecodeFileOptions = Omit<DecodeOptions, 'extension' | 'label'> & {
  /** Files larger than this are refused without being read (default 1 GiB). */
  maxFileBytes?: number | undefined;
};

/**
 * Reads and decodes one image file: format by content, metadata, the model's RGB input and a JPEG
 * thumbnail, all from a single decode ([Note: Decode once]). Every failure is a MediaError with
 * `stage` 'read' or 'decode' and a stable `code` ([Note: Media failures]); cancellation is an
 * AbortError.
 */
export async function decodeImage(
  filePath: string,
  options: DecodeFileOptions,
): Promise<DecodedImage> {
  const { maxFileBytes, ...decodeOptions } = options;
  const bytes = await readImageFile(filePath, { signal: options.signal, maxBytes: maxFileBytes });
  return decodeImageBytes(bytes, {
    ...decodeOptions,
    extension: path.extname(filePath),
    label: filePath,
  });
}

/** How many leading bytes readImageFormat reads: enough for any signature and a DNG's first IFD. */
const HEAD_BYTES = 64 * 1024;

/**
 * The format of a file judged by its first bytes ([Note: Format by content]), or null when it is
 * not an image Photoseek reads (including an empty file). Reads at most 64 KiB. Read-stage
 * MediaErrors when the file cannot be opened.
 */
export async function readImageFormat(
  filePath: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<ImageFormat | null> {
  throwIfAborted(options.signal);
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw fsErrorToMediaError(error, filePath);
  }
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    let filled = 0;
    while (filled < HEAD_BYTES) {
      const { bytesRead } = await handle.read(head, filled, HEAD_BYTES - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return sniffFormat(head.subarray(0, filled), path.extname(filePath));
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw fsErrorToMediaError(error, filePath);
  } finally {
    await handle.close();
  }
}
