import type { PhotoId, Relevance } from '../../shared/types';
import type { VectorIndex } from '../vectors/vector-index';
import { evenlySpread } from '../../shared/evenly-spread';
import { dot, quantile } from '../vector-math';

/** Scores at or above which a hit is a good, or a strong, match (cosine, for one model). */
export interface RelevanceBand {
  good: number;
  strong: number;
}

/** What one model's relevance calibration found; kept per model and library size. */
export interface RelevanceCalibration {
  modelId: string;
  /** Photos in the model's index when measured ([Note: Relevance cut-off]: when to measure again). */
  photos: number;
  /** Library photos the distributions were measured on. */
  sampled: number;
  /** For text queries; null for a model without a text tower. */
  text: RelevanceBand | null;
  /** For image queries (an image, or photos of the library). */
  image: RelevanceBand;
}

export const RELEVANCE_SAMPLE = 256;
/** Vocabulary terms scored for the text null (the first ones: colours, scenes, places). */
export const RELEVANCE_TERMS = 128;
/** Library photos whose nearest neighbour is looked up (each one a search of the whole index). */
const NEIGHBOUR_SAMPLE = 48;
/** Per photo, the share of the vocabulary that may describe it (left out of the null). */
const DESCRIBING_TERMS = 0.05;
const NULL_QUANTILE = 0.95;

/**
 * [Note: Relevance cut-off] A raw cosine means nothing on its own: CLIP's text-to-photo scores
 * live between about 0.15 and 0.35, MobileNetV2's photo-to-photo cosines between 0.5 and 1, the
 * synthetic colour model's anywhere in −1..1. So what a good match is, is measured per model on
 * the library, with things the model itself gives, and a hit is then `strong`, `good` or `weak`:
 *
 * - text: up to RELEVANCE_SAMPLE library photos, spread over the index, are scored against the
 *   first RELEVANCE_TERMS terms of resources/vocabulary.json ("a photo of {term}"; terms the
 *   model embeds to zero left out). Not all 699: each is a text embedding on the first search
 *   (CLIP int8 ≈ 15–20 ms each here, so 2–3 s instead of 10–14 s); their vectors are cached
 *   with the cluster names' (term_vectors). A photo's best DESCRIBING_TERMS of the vocabulary may well describe it; the rest are
 *   words that do not, and their scores form the null distribution: what an unrelated query
 *   scores on this model. A good hit beats its NULL_QUANTILE; a strong one also scores as well as
 *   a photo's best vocabulary term does, for the median photo.
 * - image: the same photos against each other. Which pairs show the same thing is unknown, and in
 *   a small library of few subjects they are no small share (a test library of reds, greens and
 *   blues), so no high quantile of the pairs is safe; their median is (unrelated pairs are the
 *   majority in any library). A strong hit is as close as a library photo's nearest neighbour
 *   is, for the median of NEIGHBOUR_SAMPLE photos (a copy or an edit of a photo is strong); a
 *   good one lies at least half way from the median pair to that.
 *
 * The calibration is computed on the first search of a model, kept in memory and in `settings`
 * (`relevance:<model id>`; the one write a search makes, skipped when the library is busy), and
 * measured again when the model's index has grown or shrunk by a
 * quarter. Measured (test/core/search/relevance.test.ts, which reads `relevance:<id>`):
 * - synthetic colour model, a 29-photo colour library (reds with a burst and a copy, greens,
 *   blues, whites): text good 0.706, strong 0.994; "red" gives the 10 red photos as good,
 *   "yellow" none (best 0.514). Image good 0.439, strong 0.999: a red query image finds the reds
 *   good and nothing else (a high quantile of the pairs put good at 0.988 and left reds weak).
 * - MobileNetV2 on photos-cc0's test split without the hats (360 photos, 256 sampled): image
 *   good 0.698, strong 0.812; a half-size JPEG of a library photo scores 0.910 (strong). Over 60
 *   `similar` queries from library photos (one in six): 39 good hits on average, 44 % of them of
 *   the query's category against 14 % of all hits, one query with no good hit. The cut-off is
 *   as sharp as the model is: an ImageNet model sees a shirt near a dress.
 */
export function calibrateRelevance(
  modelId: string,
  vectors: VectorIndex,
  termVectors: readonly Float32Array[] | null,
): RelevanceCalibration {
  const photoIds = vectors.photoIds().sort((a, b) => a - b);
  const sampleIds = evenlySpread(photoIds, RELEVANCE_SAMPLE);
  const sample = sampleIds.flatMap((photoId) => {
    const vector = vectors.get(photoId);
    return vector ? [vector] : [];
  });
  return {
    modelId,
    photos: photoIds.length,
    sampled: sample.length,
    text: termVectors && termVectors.length > 1 ? textBand(sample, termVectors) : null,
    image: imageBand(sample, vectors, evenlySpread(sampleIds, NEIGHBOUR_SAMPLE)),
  };
}

/** Whether a stored calibration still fits a model's index of `photos` photos. */
export function calibrationFits(calibration: RelevanceCalibration, photos: number): boolean {
  const measured = Math.max(1, calibration.photos);
  return Math.abs(photos - calibration.photos) / measured < 0.25;
}

export function relevanceOf(score: number, band: RelevanceBand): Relevance {
  if (score >= band.strong) return 'strong';
  if (score >= band.good) return 'good';
  return 'weak';
}

function textBand(sample: readonly Float32Array[], terms: readonly Float32Array[]): RelevanceBand {
  const describing = Math.max(1, Math.round(terms.length * DESCRIBING_TERMS));
  const unrelated: number[] = [];
  const best: number[] = [];
  for (const photo of sample) {
    const scores = terms.map((term) => dot(photo, term)).sort((a, b) => b - a);
    best.push(scores[0]!);
    unrelated.push(...scores.slice(describing));
  }
  return band(unrelated, best);
}

function imageBand(
  sample: readonly Float32Array[],
  vectors: VectorIndex,
  neighbourIds: readonly PhotoId[],
): RelevanceBand {
  const pairs: number[] = [];
  for (const [i, photo] of sample.entries()) {
    for (const other of sample.slice(i + 1)) pairs.push(dot(photo, other));
  }
  const nearest = neighbourIds.flatMap((photoId) => {
    const vector = vectors.get(photoId);
    const [hit] = vector ? vectors.search(vector, 1, { excludePhotoIds: [photoId] }) : [];
    return hit ? [hit.score] : [];
  });
  if (pairs.length === 0 || nearest.length === 0) return { good: -1, strong: 1 };
  const unrelated = quantile(pairs, 0.5);
  const strong = quantile(nearest, 0.5);
  return { good: Math.min(strong, (unrelated + strong) / 2), strong };
}

/** Good beats the null's high quantile; strong is the median of the best, never below good. */
function band(unrelated: readonly number[], best: readonly number[]): RelevanceBand {
  // With one photo (or none) there is no null yet: every hit counts as good until there is.
  if (unrelated.length === 0)
    return { good: -1, strong: best.length > 0 ? quantile(best, 0.5) : 1 };
  const good = quantile(unrelated, NULL_QUANTILE);
  return { good, strong: best.length > 0 ? Math.max(good, quantile(best, 0.5)) : good };
}
