import { useCallback } from 'react';
import type { ModelSummary } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { formatBytes } from '../../format';
import type { Notify } from '../notices/use-notice';

export interface ModelActions {
  /** Choose a model folder in main's dialog and add it (models.add proves it first). */
  addFolder: () => void;
  remove: (model: ModelSummary) => void;
}

/** Adding and removing models; `changed` refreshes the model list and the library status. */
export function useModelActions(changed: () => void, notify: Notify): ModelActions {
  const { core, shell } = useBridge();

  const addFolder = useCallback(() => {
    void (async () => {
      try {
        const folder = await shell['shell.pickFolder']('model');
        if (folder === null) return;
        const model = await core['models.add'](folder);
        changed();
        notify({
          kind: 'info',
          message: model.active
            ? `Added ${model.name} and made it the model in use.`
            : `Added ${model.name}. Choose it in the list to use it.`,
        });
      } catch (error) {
        notify({ kind: 'error', message: `Could not add the model: ${errorMessage(error)}` });
      }
    })();
  }, [core, shell, changed, notify]);

  const remove = useCallback(
    (model: ModelSummary) => {
      core['models.remove'](model.id).then(
        (freed) => {
          changed();
          notify({
            kind: 'info',
            message:
              freed.photos > 0
                ? `Removed ${model.name} and its vectors of ${freed.photos} photos (${formatBytes(freed.bytes)}).`
                : `Removed ${model.name}.`,
          });
        },
        (error: unknown) =>
          notify({ kind: 'error', message: `Could not remove the model: ${errorMessage(error)}` }),
      );
    },
    [core, changed, notify],
  );

  return { addFolder, remove };
}
