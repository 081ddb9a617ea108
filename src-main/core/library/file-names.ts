import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { MediaError } from '../media';

/**
 * [Note: Names that are not UTF-8] Linux file names are bytes. Node gives them to JavaScript as
 * UTF-8 text, and a name that is not valid UTF-8 (written by an old camera, a program using
 * Latin-1 or Shift-JIS, a damaged disk) arrives with U+FFFD in place of the bad bytes. That text
 * names no file: every stat or open of it fails with ENOENT, so such a photo looked "deleted".
 * Such names are told apart from real U+FFFD characters by listing the folder as bytes, and listed
 * as failures that say what is wrong and that renaming fixes it.
 */
export function notUtf8NameError(isFolder: boolean): MediaError {
  const what = isFolder ? 'This folder’s' : 'This file’s';
  const consequence = isFolder ? 'the photos in it cannot be reached' : 'it cannot be opened';
  return new MediaError(
    'read',
    'NAME_NOT_UTF8',
    `${what} name is not valid UTF-8 text (it was written with another character set), so ${consequence}. Renaming it fixes this.`,
  );
}

/** True when `name` is how Node shows a name whose bytes in `dir` are not valid UTF-8. */
export async function isUndecodableName(dir: string, name: string): Promise<boolean> {
  if (!name.includes('\uFFFD')) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const raw = await readdir(dir, { encoding: 'buffer' }).catch(() => []);
  return raw.some((bytes) => {
    if (bytes.toString('utf8') !== name) return false;
    try {
      decoder.decode(bytes);
      return false;
    } catch {
      return true;
    }
  });
}

/** For a path that cannot be found: whether its name is one that is not valid UTF-8. */
export async function hasUndecodableName(filePath: string): Promise<boolean> {
  if (!filePath.includes('\uFFFD')) return false;
  if (
    await lstat(filePath).then(
      () => true,
      () => false,
    )
  )
    return false;
  return isUndecodableName(path.dirname(filePath), path.basename(filePath));
}
