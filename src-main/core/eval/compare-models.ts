import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { EvalReport } from '../../shared/eval-report';
import { PhotoseekError } from '../../shared/errors';
import type { ModelCompareProgress } from '../../shared/types';
import { evaluateModels } from './evaluate';

export interface CompareModelsRequest {
  /** A labelled folder: one subfolder per category. */
  folder: string;
  /** Installed model ids, compared in this order. */
  models: readonly string[];
  /** The k of find-similar mAP@k (default 5, as `photoseek eval`). */
  k?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ModelCompareProgress) => void;
}

/**
 * [Note: Comparing models in the app] The app's Compare models is `photoseek eval` on a labelled
 * folder the user chose: the same eval library, scores and report. The folder is embedded into a
 * temporary work folder inside the data folder (beside the models, never the user's library) that
 * is deleted afterwards, so a comparison leaves nothing behind; comparing again embeds again.
 * One comparison runs at a time per core: each loads its own sessions of every model compared,
 * and a second one started meanwhile would double the memory for no gain.
 */
export function createModelComparer(dirs: {
  dataDir: string;
  resourcesDir?: string;
}): (request: CompareModelsRequest) => Promise<EvalReport> {
  let running = false;
  return async (request) => {
    if (running) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        'A model comparison is already running; wait for it to finish or cancel it.',
      );
    }
    running = true;
    const workDir = await mkdtemp(path.join(dirs.dataDir, 'model-comparison-'));
    try {
      const report = (
        modelId: string,
        progress: Omit<ModelCompareProgress, 'modelId' | 'modelIndex' | 'models'>,
      ) =>
        request.onProgress?.({
          modelId,
          modelIndex: Math.max(0, request.models.indexOf(modelId)),
          models: request.models.length,
          ...progress,
        });
      return await evaluateModels({
        dataDir: dirs.dataDir,
        ...(dirs.resourcesDir ? { resourcesDir: dirs.resourcesDir } : {}),
        folder: request.folder,
        modelIds: request.models,
        workDir,
        ...(request.k !== undefined ? { k: request.k } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        onProgress: (modelId, progress) =>
          report(modelId, { phase: 'embedding', done: progress.done, total: progress.total }),
        onScoring: (modelId, photos) =>
          report(modelId, { phase: 'scoring', done: 0, total: photos }),
      });
    } catch (error) {
      if (request.signal?.aborted)
        throw new PhotoseekError('CANCELLED', 'The comparison was stopped.');
      throw error;
    } finally {
      running = false;
      await rm(workDir, { recursive: true, force: true });
    }
  };
}
