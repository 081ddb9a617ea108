import path from 'node:path';
import { shell } from 'electron';
import type { BrowserWindow } from 'electron';
import type { ShellApi } from '../shared/contract';
import { PhotoseekError } from '../shared/errors';
import type { HostApi } from '../core/rpc/host-api';
import { pickFolder } from './dialogs';

type LibraryQueries = Pick<HostApi, 'folders.list' | 'photos.idForFile'>;

/**
 * The shell commands of the contract.
 *
 * [Note: Shell actions stay in the library] A compromised renderer must not turn these into
 * "run any program": openPath only opens files of indexed photos (opening an executable runs it),
 * and showInFolder only reveals paths inside a library folder.
 */
export function createShellActions(
  window: () => BrowserWindow | null,
  library: LibraryQueries,
): ShellApi {
  return {
    'shell.pickFolder': () => pickFolder(window()),
    'shell.showInFolder': async (target) => {
      const folders = await library['folders.list']();
      const inLibrary = folders.some((folder) => isInside(folder.path, path.resolve(target)));
      if (!inLibrary)
        throw new PhotoseekError('BAD_ARGUMENT', `${target} is not in a library folder.`);
      shell.showItemInFolder(path.resolve(target));
    },
    'shell.openPath': async (target) => {
      if ((await library['photos.idForFile'](target)) === null) {
        throw new PhotoseekError('BAD_ARGUMENT', `${target} is not a photo in the library.`);
      }
      const failure = await shell.openPath(path.resolve(target));
      if (failure) throw new PhotoseekError('NOT_FOUND', `Could not open ${target}: ${failure}`);
    },
  };
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  const leaves = relative === '..' || relative.startsWith(`..${path.sep}`);
  return !leaves && !path.isAbsolute(relative);
}
