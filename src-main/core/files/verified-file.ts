import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** A file as the index recorded it: its path, and its size and mtime (whole ms) when indexed. */
export interface IndexedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * O_NOFOLLOW: a symlink put in the file's place after the lstat fails the open (ELOOP) instead of
 * being followed. O_NONBLOCK: a FIFO put there does not block the open. Windows has neither flag
 * (0 there); the fstat below still refuses what is not the file that was checked.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * [Note: Verified files] The app shows and opens a library file only while it is still the file
 * that was indexed: a regular file (by lstat, so not a symlink, a FIFO, a device or a socket)
 * whose size and mtime are the ones the index recorded. Without this, a file in a photo folder
 * swapped for a symlink to /etc/passwd was served to the renderer as that photo's original, and
 * a FIFO in its place hung the reader. A file that changed since it was indexed is refused too
 * until the index catches up (the watcher re-indexes it); the photo's other files may still serve.
 * A photo reached only through a symlink (the scanner follows them) therefore has no original to
 * show until it is a regular file, only its thumbnail.
 *
 * Time of check and time of use: the file is opened with O_NOFOLLOW | O_NONBLOCK, and the opened
 * descriptor's fstat must be the same inode as the lstat and match the index again; the bytes are
 * then read from that descriptor, so a swap after the check cannot change what is served. What
 * is left: (1) only the last part of the path is checked, so a folder above it replaced by a
 * symlink leads elsewhere, where a regular file of the same name, size and mtime would be taken;
 * (2) bytes rewritten in place with the size and mtime put back are served (whoever can do that
 * can write that file anyway); (3) `shell.openPath` takes a path, not a descriptor, so between
 * the check and the moment the desktop opens the path a swap is still possible.
 *
 * Returns the open handle (the caller reads from it and closes it), or null when the file is not
 * the one indexed. Never throws for a file that is missing or unreadable.
 */
export async function openVerifiedFile(file: IndexedFile): Promise<FileHandle | null> {
  const checked = await lstat(file.path).catch(() => undefined);
  if (!checked?.isFile() || !matchesIndex(checked, file)) return null;
  const handle = await open(file.path, OPEN_FLAGS).catch(() => undefined);
  if (!handle) return null;
  const opened = await handle.stat().catch(() => undefined);
  const same =
    opened?.isFile() &&
    opened.dev === checked.dev &&
    opened.ino === checked.ino &&
    matchesIndex(opened, file);
  if (same) return handle;
  await handle.close();
  return null;
}

/** Whether `file` is still the indexed file now (opened and closed again). */
export async function isVerifiedFile(file: IndexedFile): Promise<boolean> {
  const handle = await openVerifiedFile(file);
  await handle?.close();
  return handle !== null;
}

function matchesIndex(info: Stats, file: IndexedFile): boolean {
  return info.size === file.size && Math.trunc(info.mtimeMs) === file.mtimeMs;
}
