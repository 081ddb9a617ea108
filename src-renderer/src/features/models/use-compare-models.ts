import { useCallback, useEffect, useState } from 'react';
import type { EvalReport } from '../../../../src-main/shared/eval-report';
import type { ModelCompareProgress } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

export interface ModelComparison {
  /** The labelled folder chosen in the dialog; null until one is. */
  folder: string | null;
  chooseFolder: () => void;
  running: boolean;
  progress: ModelCompareProgress | null;
  report: EvalReport | null;
  error: string | null;
  compare: (modelIds: string[]) => void;
}

/**
 * [Note: Comparing models in the app] from the window: the user picks a labelled folder in main's
 * dialog (the one folder models.compare may read, [Note: Folders the user chose]), then compares
 * installed models on it; progress arrives as 'models.compareProgress' events.
 */
export function useCompareModels(): ModelComparison {
  const bridge = useBridge();
  const { core, shell } = bridge;
  const [folder, setFolder] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ModelCompareProgress | null>(null);
  const [report, setReport] = useState<EvalReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => bridge.on('models.compareProgress', setProgress), [bridge]);

  const chooseFolder = useCallback(() => {
    shell['shell.pickFolder']('labelled').then(
      (chosen) => {
        if (chosen === null) return;
        setFolder(chosen);
        setReport(null);
        setError(null);
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [shell]);

  const compare = useCallback(
    (modelIds: string[]) => {
      if (folder === null) return;
      setRunning(true);
      setProgress(null);
      setReport(null);
      setError(null);
      core['models.compare']({ folder, models: modelIds })
        .then(setReport, (failure: unknown) => setError(errorMessage(failure)))
        .finally(() => setRunning(false));
    },
    [core, folder],
  );

  return { folder, chooseFolder, running, progress, report, error, compare };
}
