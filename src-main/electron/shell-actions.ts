import { shell } from 'electron';
import type { BrowserWindow } from 'electron';
import type { ShellApi } from '../shared/contract';
import { PhotoseekError } from '../shared/errors';
import type { HostApi } from '../core/rpc/host-api';
import { chooseImage, pickFolder } from './dialogs';
import { createPhotoTransfer } from './photo-transfer';
import type { UpdateCheck } from './update-check';
import { fetchWebImage } from './web-image';

type LibraryQueries = Pick<
  HostApi,
  'files.isVerified' | 'failures.list' | 'photos.verifiedFile' | 'photos.thumbnailPath'
>;

/**
 * The shell commands of the contract. Paths arrive absolute and in plain form (the contract's
 * schema, [Note: Paths across the boundary]), so they are used as they are.
 *
 * [Note: Shell actions stay in the library] A compromised renderer must not turn these into
 * "run any program" or "open any file": openPath only opens an indexed file that is still the
 * file indexed ([Note: Verified files]; opening an executable runs it, and a photo swapped for a
 * symlink would open its target), and showInFolder only reveals such a file or a file listed in
 * the failures (the failures panel's "Show in folder"), and trash only moves such a file to the
 * OS trash, where the user can restore it (the duplicates view's "Move to Trash"; the library
 * follows by its watcher). The desktop opens a path, not a file
 * descriptor, so the check and the opening are two steps; that window is the one left open.
 * Dragging out and copying name a photo by id ([Note: Photos leave by id]).
 */
export function createShellActions(
  window: () => BrowserWindow | null,
  library: LibraryQueries,
  updates: UpdateCheck,
): ShellApi {
  async function isListedFailure(target: string): Promise<boolean> {
    return (await library['failures.list']()).some((failure) => failure.path === target);
  }
  /** The web image downloading now: one at a time, a new drop replaces the previous one. */
  let webImageDownload: AbortController | null = null;
  const transfer = createPhotoTransfer(window, library);

  return {
    'shell.pickFolder': (purpose = 'photos') => pickFolder(window(), purpose),
    'shell.showInFolder': async (target) => {
      if (!(await library['files.isVerified'](target)) && !(await isListedFailure(target))) {
        throw notInLibrary(target);
      }
      shell.showItemInFolder(target);
    },
    'shell.openPath': async (target) => {
      if (!(await library['files.isVerified'](target))) throw notInLibrary(target);
      const failure = await shell.openPath(target);
      if (failure) throw new PhotoseekError('NOT_FOUND', `Could not open ${target}: ${failure}`);
    },
    'shell.trash': async (target) => {
      if (!(await library['files.isVerified'](target))) throw notInLibrary(target);
      await shell.trashItem(target).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new PhotoseekError('NOT_FOUND', `Could not move ${target} to the trash: ${reason}`);
      });
    },
    'shell.fetchWebImage': async (url) => {
      webImageDownload?.abort();
      const download = new AbortController();
      webImageDownload = download;
      try {
        return await fetchWebImage(url, {
          signal: download.signal,
          onProgress: (progress) => window()?.webContents.send('webImage.progress', progress),
        });
      } finally {
        if (webImageDownload === download) webImageDownload = null;
      }
    },
    'shell.cancelWebImage': () => {
      webImageDownload?.abort();
      return Promise.resolve();
    },
    'shell.chooseImage': () => chooseImage(window()),
    'shell.startDrag': (photoId) => transfer.startDrag(photoId),
    'shell.copyPath': (photoId) => transfer.copyPath(photoId),
    'shell.copyImage': (photoId) => transfer.copyImage(photoId),
    'shell.updateCheck': () => updates.state(),
    'shell.setUpdateCheck': (enabled) => updates.setEnabled(enabled),
    'shell.openUpdatePage': () => updates.openUpdatePage(),
  };
}

function notInLibrary(target: string): PhotoseekError {
  return new PhotoseekError(
    'BAD_ARGUMENT',
    `${target} is not a photo in the library, or it changed since it was indexed ` +
      '(or is no longer a plain file). Try again once the library has caught up.',
  );
}
