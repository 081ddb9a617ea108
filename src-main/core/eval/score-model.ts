import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { Embedder } from '../inference/embedder';
import type { EmbeddedPhoto } from './eval-library';
import type { ModelScores, RecallScores } from '../../shared/eval-report';
import { RECALL_KS } from '../../shared/eval-report';
import { mean, recallAtK } from './metrics';
import { captionRanks, findSimilarPrecisions, zeroShotCorrect } from './model-scores';

export interface LabelledPhoto extends EmbeddedPhoto {
  category: string;
}

export interface CaptionOfPhoto {
  text: string;
  photoId: number;
}

const CAPTION_BATCH = 32;

/** Photos in a top-level subfolder of `folder`, labelled with that subfolder's name. */
export function labelledPhotos(folder: string, photos: readonly EmbeddedPhoto[]): LabelledPhoto[] {
  return photos.flatMap((photo) => {
    const parts = path.relative(folder, photo.path).split(path.sep);
    return parts.length > 1 ? [{ ...photo, category: parts[0]! }] : [];
  });
}

/**
 * One model's scores on labelled photos: find-similar AP@k and zero-shot correctness per photo,
 * averaged per category and over all photos; Recall@1/5/10 of the captions whose photo is here.
 * A model without a text tower gets find-similar only: zero-shot is null, recall null.
 */
export async function scoreModel(
  embedder: Embedder,
  photos: readonly LabelledPhoto[],
  options: {
    k: number;
    prompt: string;
    captions: readonly CaptionOfPhoto[] | null;
    signal?: AbortSignal;
  },
): Promise<ModelScores> {
  const categories = [...new Set(photos.map((photo) => photo.category))].sort();
  if (categories.length === 0) {
    throw new PhotoseekError(
      'NOT_FOUND',
      'No photo was indexed in any subfolder: the eval needs one subfolder per category.',
    );
  }
  const vectors = photos.map((photo) => ({
    vector: photo.vector,
    category: categories.indexOf(photo.category),
  }));
  const precisions = findSimilarPrecisions(vectors, options.k);
  const prompts = categories.map((category) => options.prompt.replaceAll('{category}', category));
  const correct = embedder.hasTextTower
    ? zeroShotCorrect(vectors, await embedder.embedTexts(prompts, options.signal))
    : null;
  const asScore = (ok: boolean | undefined) => (ok ? 1 : 0);
  const accuracy = (members: readonly number[]) =>
    correct && mean(members.map((at) => asScore(correct[at])));
  return {
    photos: photos.length,
    categories: categories.map((category, index) => {
      const members = vectors.flatMap((vector, at) => (vector.category === index ? [at] : []));
      return {
        category,
        photos: members.length,
        mapAtK: mean(members.flatMap((at) => precisions[at] ?? [])),
        zeroShotAccuracy: accuracy(members),
      };
    }),
    overall: {
      mapAtK: mean(precisions.flatMap((precision) => precision ?? [])),
      zeroShotAccuracy: accuracy(vectors.map((_, at) => at)),
    },
    recall:
      options.captions && embedder.hasTextTower
        ? await captionRecall(embedder, photos, options.captions, options.signal)
        : null,
  };
}

async function captionRecall(
  embedder: Embedder,
  photos: readonly LabelledPhoto[],
  captions: readonly CaptionOfPhoto[],
  signal: AbortSignal | undefined,
): Promise<RecallScores> {
  const position = new Map(photos.map((photo, index) => [photo.photoId, index]));
  const matched = captions.flatMap((caption) => {
    const photo = position.get(caption.photoId);
    return photo === undefined ? [] : [{ text: caption.text, photo }];
  });
  const vectors: Float32Array[] = [];
  for (let from = 0; from < matched.length; from += CAPTION_BATCH) {
    const texts = matched.slice(from, from + CAPTION_BATCH).map((caption) => caption.text);
    vectors.push(...(await embedder.embedTexts(texts, signal)));
  }
  const ranks = captionRanks(
    photos,
    matched.map((caption, index) => ({ vector: vectors[index]!, photo: caption.photo })),
  );
  const atK = Object.fromEntries(RECALL_KS.map((k) => [k, recallAtK(ranks, k)]));
  return { captions: matched.length, atK: atK as RecallScores['atK'] };
}
