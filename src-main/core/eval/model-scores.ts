/**
 * The three evaluations of one model, from its unit-length embeddings: find-similar AP@k per
 * photo, zero-shot correctness per photo and the rank of each caption's photo.
 *
 * [Note: Eval ranks exactly] Scores are exact cosine similarities computed here over every photo,
 * not answers of the vector index: the eval measures the model and the pipeline that fed it
 * (decode, preprocessing, tokenizer). How closely the index's candidate search matches an exact
 * ranking is measured separately (bench/knn.bench.ts, recall@20).
 */
import { averagePrecisionAtK, isCorrectPrediction, pessimisticRank } from './metrics';
import { dot } from '../vector-math';

export interface LabelledVector {
  vector: Float32Array;
  /** Index into the category list. */
  category: number;
}

/**
 * For each photo as the query: AP@k of the other photos ranked by similarity, relevant when they
 * share its category. Null for a photo alone in its category.
 */
export function findSimilarPrecisions(
  photos: readonly LabelledVector[],
  k: number,
): (number | null)[] {
  return photos.map((query, queryIndex) =>
    averagePrecisionAtK(
      photos.flatMap((other, otherIndex) =>
        otherIndex === queryIndex
          ? []
          : [
              {
                score: dot(query.vector, other.vector),
                relevant: other.category === query.category,
              },
            ],
      ),
      k,
    ),
  );
}

/** For each photo: whether its own category's prompt embedding is the most similar one. */
export function zeroShotCorrect(
  photos: readonly LabelledVector[],
  promptVectors: readonly Float32Array[],
): boolean[] {
  return photos.map((photo) =>
    isCorrectPrediction(
      promptVectors.map((prompt) => dot(photo.vector, prompt)),
      photo.category,
    ),
  );
}

/** For each caption: the rank of its photo (index into `photos`) among all photos. */
export function captionRanks(
  photos: readonly { vector: Float32Array }[],
  captions: readonly { vector: Float32Array; photo: number }[],
): number[] {
  const scores = new Float32Array(photos.length);
  return captions.map((caption) => {
    photos.forEach((photo, index) => (scores[index] = dot(caption.vector, photo.vector)));
    return pessimisticRank(scores, caption.photo);
  });
}
