import { readFile, stat } from 'node:fs/promises';
import { fsErrorToMediaError, MediaError, throwIfAborted } from './media-error';

/**
 * Files above this are refused without being read: large enough for any camera raw,
 * medium-format TIFF or panorama, small enough that one odd file (a disk image named .jpg)
 * cannot exhaust the core's memory.
 */
export const MAX_FILE_BYTES = 1024 ** 3;

/**
 * The whole file (symlinks followed). It is checked to be a non-empty regular file under
 * MAX_FILE_BYTES before it is opened, so a FIFO or device named .jpg never blocks the reader.
 * Every failure is a read-stage MediaError; cancellation an AbortError.
 */
export async function readImageFile(filePath: string, signal?: AbortSignal): Promise<Buffer> {
  throwIfAborted(signal);
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw new MediaError('read', 'NOT_A_FILE', 'This is not a regular file.');
    if (info.size > MAX_FILE_BYTES) {
      const gib = (info.size / 1024 ** 3).toFixed(1);
      throw new MediaError(
        'read',
        'FILE_TOO_LARGE',
        `The file is ${gib} GiB, over the 1 GiB Photoseek reads per image.`,
      );
    }
    const bytes = await readFile(filePath, signal ? { signal } : {});
    if (bytes.length === 0) {
      throw new MediaError('read', 'EMPTY_FILE', 'The file is empty (0 bytes).');
    }
    return bytes;
  } catch (error) {
    if (error instanceof MediaError || (error instanceof Error && error.name === 'AbortError')) {
      throw error;
    }
    throw fsErrorToMediaError(error);
  }
}
