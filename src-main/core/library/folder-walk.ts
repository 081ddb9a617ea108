import type { Dirent } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isUndecodableName, notUtf8NameError } from './file-names';
import { hasImageExtension } from './image-files';

export interface ScannedFile {
  path: string;
  dir: string;
  size: number;
  mtimeMs: number;
}

export interface ScanIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * [Note: What the scanner skips] Hidden entries (".name"), and folders that hold system or app
 * data rather than photos: recycle bins, Synology/QNAP thumbnail stores, macOS bundles such as
 * ".photoslibrary" (hidden or not, their internals are not the user's photos). Symbolic links
 * are followed, but each real directory is entered once, so link loops end.
 */
const SKIPPED_DIRS = new Set([
  '$recycle.bin',
  'system volume information',
  '@eadir',
  '#recycle',
  '.@__thumb',
  'lost+found',
  'node_modules',
]);
const SKIPPED_DIR_SUFFIXES = ['.photoslibrary', '.photolibrary', '.app', '.lrdata'];

export function isSkippedDirName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.startsWith('.') ||
    SKIPPED_DIRS.has(lower) ||
    SKIPPED_DIR_SUFFIXES.some((suffix) => lower.endsWith(suffix))
  );
}

/**
 * Walks `root` depth-first and yields every regular file (stat only, nothing is read). Unreadable
 * directories are reported through `onIssue` and skipped; the walk goes on.
 */
export async function* scanFolder(
  root: string,
  options: { signal?: AbortSignal; onIssue?: (issue: ScanIssue) => void } = {},
): AsyncGenerator<ScannedFile> {
  const visited = new Set<string>();
  const pending: string[] = [root];
  while (pending.length > 0) {
    options.signal?.throwIfAborted();
    const dir = pending.pop()!;
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      options.onIssue?.(issueOf(dir, error));
      continue;
    }
    if (visited.has(real)) continue;
    visited.add(real);

    const subdirs: string[] = [];
    try {
      for await (const entry of await opendir(dir)) {
        if (entry.name.startsWith('.')) continue;
        const entryPath = path.join(dir, entry.name);
        if (await isUndecodableName(dir, entry.name)) {
          if (entry.isDirectory() || hasImageExtension(entryPath)) {
            const { code, message } = notUtf8NameError(entry.isDirectory());
            options.onIssue?.({ path: entryPath, code, message });
          }
          continue;
        }
        const kind = await entryKind(entry, entryPath);
        if (kind === 'dir') {
          if (!isSkippedDirName(entry.name)) subdirs.push(entryPath);
        } else if (kind === 'file') {
          const info = await statOrReport(entryPath, options.onIssue);
          if (info)
            yield { path: entryPath, dir, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
        } else if (kind === 'other' && hasImageExtension(entryPath)) {
          // A pipe, device or socket named like a photo (or a link to one, e.g. to /dev/zero) is
          // never opened: reading it could block or never end. Listed so the user sees it.
          options.onIssue?.({
            path: entryPath,
            code: 'NOT_A_FILE',
            message: 'Not a regular file (a pipe, device or socket), so it holds no photo.',
          });
        } else if (kind === 'broken-link') {
          // A dangling symlink is still a name the user sees in the folder: report it.
          options.onIssue?.({
            path: entryPath,
            code: 'BROKEN_LINK',
            message: 'A symbolic link whose target is missing.',
          });
        }
      }
    } catch (error) {
      options.onIssue?.(issueOf(dir, error));
    }
    // Reverse so that the depth-first walk visits subfolders in name order.
    pending.push(...subdirs.sort().reverse());
  }
}

async function entryKind(
  entry: Dirent,
  entryPath: string,
): Promise<'dir' | 'file' | 'broken-link' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const target = await stat(entryPath);
    if (target.isDirectory()) return 'dir';
    return target.isFile() ? 'file' : 'other';
  } catch {
    return 'broken-link';
  }
}

async function statOrReport(
  filePath: string,
  onIssue: ((issue: ScanIssue) => void) | undefined,
): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    return await stat(filePath);
  } catch (error) {
    onIssue?.(issueOf(filePath, error));
    return undefined;
  }
}

function issueOf(filePath: string, error: unknown): ScanIssue {
  const code = (error as { code?: string }).code ?? 'UNREADABLE';
  const messages: Record<string, string> = {
    EACCES: 'Permission denied.',
    EPERM: 'Permission denied.',
    ENOENT: 'It disappeared while being scanned (deleted, or a broken link).',
    ELOOP: 'A symbolic link loop.',
  };
  return {
    path: filePath,
    code,
    message: messages[code] ?? (error instanceof Error ? error.message : String(error)),
  };
}
