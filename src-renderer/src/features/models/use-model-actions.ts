import { useCallback, useState } from 'react';
import type { ModelSummary } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { formatBytes } from '../../format';

export interface ModelActions {
  /** Choose a model folder in main's dialog and add it (models.add proves it first). */
  addFolder: () => void;
  remove: (model: ModelSummary) => void;
  /**
   * What the last action did, shown in the models drawer itself: the app's notices sit behind a
   * modal drawer, where a refusal would go unread.
   */
  outcome: { kind: 'info' | 'error'; message: string } | null;
}

/** Adding and removing models; `changed` refreshes the model list and the library status. */
export function useModelActions(changed: () => void): ModelActions {
  const { core, shell } = useBridge();
  const [outcome, setOutcome] = useState<ModelActions['outcome']>(null);

  const addFolder = useCallback(() => {
    void (async () => {
      try {
        const folder = await shell['shell.pickFolder']('model');
        if (folder === null) return;
        setOutcome(null);
        const model = await core['models.add'](folder);
        changed();
        setOutcome({
          kind: 'info',
          message: model.active
            ? `Added ${model.name} and made it the model in use.`
            : `Added ${model.name}. Choose Use to search with it.`,
        });
      } catch (error) {
        setOutcome({ kind: 'error', message: `Could not add the model: ${errorMessage(error)}` });
      }
    })();
  }, [core, shell, changed]);

  const remove = useCallback(
    (model: ModelSummary) => {
      setOutcome(null);
      core['models.remove'](model.id).then(
        (freed) => {
          changed();
          setOutcome({
            kind: 'info',
            message:
              freed.photos > 0
                ? `Removed ${model.name} and its vectors of ${freed.photos} photos (${formatBytes(freed.bytes)}).`
                : `Removed ${model.name}.`,
          });
        },
        (error: unknown) =>
          setOutcome({
            kind: 'error',
            message: `Could not remove the model: ${errorMessage(error)}`,
          }),
      );
    },
    [core, changed],
  );

  return { addFolder, remove, outcome };
}
