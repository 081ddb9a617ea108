import { useCallback } from 'react';
import { errorMessage, useBridge } from '../../api';
import { baseName } from '../../format';
import type { Notify } from '../notices/use-notice';

export interface FolderActions {
  /** Choose a folder in the system dialog and add it; the core indexes it ([Note: The core indexes by itself]). */
  add: () => void;
  /** Add a folder the user dropped on the window ([Note: Dropped folders]). */
  addPath: (path: string) => void;
  remove: (path: string) => void;
}

export function useFolderActions(refresh: () => void, notify: Notify): FolderActions {
  const { core, shell } = useBridge();

  /** Adds the folder that `choose` answers (null: nothing chosen). */
  const addChosen = useCallback(
    (choose: () => Promise<string | null>) => {
      void (async () => {
        try {
          const path = await choose();
          if (path === null) return;
          await core['folders.add'](path);
          refresh();
        } catch (error) {
          notify({ kind: 'error', message: `Could not add the folder: ${errorMessage(error)}` });
        }
      })();
    },
    [core, refresh, notify],
  );
  const add = useCallback(() => addChosen(() => shell['shell.pickFolder']()), [addChosen, shell]);
  const addPath = useCallback((path: string) => addChosen(async () => path), [addChosen]);

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

  return { add, addPath, remove };
}
