import { readFile, stat } from 'node:fs/promises';
import { MediaError, fsErrorToMediaError, throwIfAborted } from './errors';

export interface ReadOptions {
  signal?: AbortSignal | undefined;
  /** Files larger than this are refused without reading them. */
  maxBytes?: number | undefined;
}

/**
 * Default byte limit: 1 GiB. Large enough for any camera raw, medium-format TIFF or panorama,
 * small enough that one odd file (a disk image named .jpg) cannot exhaust the core's memory.
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * Reads a whole image file into memory (following symlinks) after checking that it is a regular,
 * non-empty file under the byte limit. Every failure is a read-stage MediaError.
 */
export async function readImageFile(filePath: string, options: ReadOptions = {}): Promise<Buffer> {
  const { signal, maxBytes = DEFAULT_MAX_FILE_BYTES } = options;
  throwIfAborted(signal);
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) {
      throw new MediaError('NOT_A_FILE', 'read', `This is not a regular file: ${filePath}`);
    }
    size = info.size;
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw fsErrorToMediaError(error, filePath);
  }
  if (size === 0)
    throw new MediaError('EMPTY_FILE', 'read', `The file is empty (0 bytes): ${filePath}`);
  if (size > maxBytes) {
    throw new MediaError(
      'FILE_TOO_LARGE',
      'read',
      `The file is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} Photoseek reads per image: ${filePath}`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath, signal ? { signal } : {});
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw fsErrorToMediaError(error, filePath);
  }
  throwIfAborted(signal);
  if (bytes.length === 0)
    throw new MediaError('EMPTY_FILE', 'read', `The file is empty (0 bytes): ${filePath}`);
  if (bytes.length > maxBytes) {
    throw new MediaError(
      'FILE_TOO_LARGE',
      'read',
      `The file grew beyond ${formatBytes(maxBytes)} while being read: ${filePath}`,
    );
  }
  return bytes;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
