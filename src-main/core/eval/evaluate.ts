import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { IndexProgress } from '../../shared/types';
import { createEmbedder } from '../inference/embedder';
import type { InstalledModel } from '../models/installed-model';
import { createModelStore } from '../models/model-store';
import { readCaptions } from './captions';
import type { Caption } from './captions';
import { EvalLibrary } from './eval-library';
import type { EvalReport, ModelEval } from '../../shared/eval-report';
import type { CaptionOfPhoto } from './score-model';
import { labelledPhotos, scoreModel } from './score-model';

export const DEFAULT_PROMPT = 'a photo of a {category}';
export const DEFAULT_K = 5;

export interface EvalOptions {
  /** User data folder holding the models (the one the app and CLI use). */
  dataDir: string;
  resourcesDir?: string;
  /** Labelled tree: each top-level subfolder is a category (files directly in it are ignored). */
  folder: string;
  /** CSV of path,caption for text→image recall (captions.ts). */
  captionsFile?: string;
  /** Installed model ids; the active model when empty. */
  modelIds: readonly string[];
  /** Where the eval library database and thumbnails live ([Note: Eval library]). */
  workDir: string;
  /** The k of find-similar mAP@k. */
  k?: number;
  /** Zero-shot prompt; "{category}" is replaced by the folder name. */
  prompt?: string;
  signal?: AbortSignal;
  onProgress?: (modelId: string, progress: IndexProgress) => void;
  /** Embedding is done and scoring (text tower, captions, exact rankings) starts for a model. */
  onScoring?: (modelId: string, photos: number) => void;
}

/**
 * `photoseek eval`: embeds a labelled folder once per model and scores find-similar (mAP@k per
 * category), zero-shot classification (the prompt per category) and, with captions, text→image
 * Recall@1/5/10, models side by side. Scores are exact ([Note: Eval ranks exactly]) and ties count
 * against the model ([Note: Ties count against the model]).
 */
export async function evaluateModels(options: EvalOptions): Promise<EvalReport> {
  const folder = path.resolve(options.folder);
  if (!(await stat(folder).catch(() => undefined))?.isDirectory()) {
    throw new PhotoseekError('FOLDER_MISSING', `${folder} is not a folder (or it cannot be read).`);
  }
  const k = options.k ?? DEFAULT_K;
  const prompt = options.prompt ?? DEFAULT_PROMPT;
  if (!prompt.includes('{category}')) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `The prompt must contain "{category}", e.g. "${DEFAULT_PROMPT}".`,
    );
  }
  const models = resolveModels(options);
  const captions = options.captionsFile ? await readCaptions(options.captionsFile) : null;
  const signal = options.signal ? { signal: options.signal } : {};
  const library = EvalLibrary.open(options.workDir);
  try {
    const results: ModelEval[] = [];
    for (const model of models) {
      const embedder = createEmbedder(model);
      try {
        const onProgress = options.onProgress;
        const index = await library.embed(model, embedder, folder, {
          ...signal,
          ...(onProgress
            ? { onProgress: (progress: IndexProgress) => onProgress(model.spec.id, progress) }
            : {}),
        });
        const labelled = labelledPhotos(folder, library.photos(model, folder));
        options.onScoring?.(model.spec.id, labelled.length);
        const scores = await scoreModel(embedder, labelled, {
          k,
          prompt,
          captions: captions && ofPhotos(captions, library),
          ...signal,
        });
        const { indexed, unchanged, failed, seconds } = index;
        results.push({
          modelId: model.spec.id,
          modelName: model.spec.name,
          ...scores,
          index: { indexed, unchanged, failed, seconds },
        });
      } finally {
        await embedder.dispose();
      }
    }
    return {
      folder,
      k,
      prompt,
      categories: [
        ...new Set(results.flatMap((result) => result.categories.map((entry) => entry.category))),
      ].sort(),
      unmatchedCaptions: captions ? captions.length - (results[0]?.recall?.captions ?? 0) : 0,
      models: results,
    };
  } finally {
    library.close();
  }
}

function resolveModels(options: EvalOptions): InstalledModel[] {
  const store = createModelStore({
    dataDir: options.dataDir,
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
  });
  if (options.modelIds.length === 0) {
    const active = store.active();
    if (!active) {
      throw new PhotoseekError(
        'MODEL_MISSING',
        'No model is installed yet: download or add one, or name models with --models.',
      );
    }
    return [active];
  }
  return options.modelIds.map((id) => {
    const model = store.get(id);
    if (model) return model;
    const installed = store
      .list()
      .filter((summary) => summary.installed)
      .map((summary) => summary.id);
    throw new PhotoseekError(
      'MODEL_MISSING',
      `Model "${id}" is not installed (installed: ${installed.join(', ') || 'none'}).`,
    );
  });
}

/** Captions whose file was indexed, with its photo. */
function ofPhotos(captions: readonly Caption[], library: EvalLibrary): CaptionOfPhoto[] {
  return captions.flatMap((caption) => {
    const photoId = library.photoIdForFile(caption.path);
    return photoId === undefined ? [] : [{ text: caption.caption, photoId }];
  });
}
