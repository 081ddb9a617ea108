import { useCallback } from 'react';
import { errorMessage, useBridge } from '../../api';
import { baseName } from '../../format';
import type { Notify } from '../notices/use-notice';

export interface FolderActions {
  /** Choose a folder in the system dialog and add it; the core indexes it ([Note: The core indexes by itself]). */
  add: () => void;
  remove: (path: string) => void;
}

export function useFolderActions(refresh: () => void, notify: Notify): FolderActions {
  const { core, shell } = useBridge();

  const add = useCallback(() => {
    void (async () => {
      try {
        const path = await shell['shell.pickFolder']();
        if (path === null) return;
        await core['folders.add'](path);
        refresh();
      } catch (error) {
        notify({ kind: 'error', message: `Could not add the folder: ${errorMessage(error)}` });
      }
    })();
  }, [core, shell, refresh, notify]);

  const remove = useCallback(
    (path: string) => {
      core['folders.remove'](path).then(
        () => {
          refresh();
          notify({
            kind: 'info',
            message: `Removed ${baseName(path)} from the library. The files on disk are untouched.`,
          });
        },
        (error: unknown) =>
          notify({ kind: 'error', message: `Could not remove the folder: ${errorMessage(error)}` }),
      );
    },
    [core, refresh, notify],
  );

  return { add, remove };
}
