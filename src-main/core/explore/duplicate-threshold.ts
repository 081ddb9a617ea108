import { PhotoseekError } from '../../shared/errors';
import type { PhotoId } from '../../shared/types';
import type { VectorIndex } from '../vectors/vector-index';
import { evenlySpread } from '../../shared/evenly-spread';
import { quantile } from '../vector-math';
import { FINGERPRINT_DIM, fingerprintViews, imageMatch } from './image-fingerprint';
import type { LibraryFingerprints } from './library-fingerprints';

/** What a library's calibration found for one model; stored per model so it runs once. */
export interface DuplicateCalibration {
  modelId: string;
  /** The method that measured it: a calibration of another method is measured again. */
  method: typeof CALIBRATION_METHOD;
  /** Image match ([Note: Image fingerprint]) at or above which two photos are the same shot. */
  threshold: number;
  /** Library photos sampled. */
  sampled: number;
  /** Candidate floors: model cosine, and whole-picture fingerprint correlation. */
  modelFloor: number;
  fingerprintFloor: number;
}

export interface CalibrationDeps {
  modelId: string;
  vectors: VectorIndex;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export const CALIBRATION_SAMPLE = 24;
export const CALIBRATION_METHOD = 3;

/**
 * The image match at or above which two photos are the same shot. A property of the
 * fingerprint, not of any model (the pixels are the same whatever embeds them), so one value
 * for all. Measured on the generated set (test/fixtures/duplicate-library.ts: 30 shots × 6
 * copies, 30 other photos of the same categories, 2026-12-04): every true pair at ≥ 0.954
 * (a crop re-saved at JPEG quality 30), every false pair at ≤ 0.942 (a pale pair of shorts on
 * white against a pale skirt on white); 0.948 is halfway. Calibrating it on the library from
 * synthetic edits of its thumbnails was tried and dropped: the edits' 5th percentile gave 0.990
 * with mild edits (recall 0.66) and 0.919 with an 85 % crop (below the false pairs), because a
 * crop changes the aspect ratio the fingerprint is squeezed to far more than an edit of the
 * small thumbnail shows; and the nearest "different" photos could not be told from the
 * library's own duplicates without the threshold itself.
 */
export const SAME_SHOT_MATCH = 0.948;

/**
 * [Note: Duplicate threshold per model] Cosines mean different things per model (CLIP's photos
 * of one scene sit near 0.9, MobileNetV2's unrelated photos already near 0.6, the synthetic
 * colour model's near-grey photos flip sign under a brightness edit), so what depends on the
 * model is measured on the library itself, once per model; what decides a pair, the image
 * match, does not depend on it (SAME_SHOT_MATCH). Up to CALIBRATION_SAMPLE photos with a
 * fingerprint, spread over the library in content-hash order (repeatable whatever order
 * indexing took), are the sample. For each, its 12 nearest photos by the model and its 12
 * nearest by fingerprint; those below SAME_SHOT_MATCH are strangers. The model cosine of the
 * nearest model stranger and the fingerprint correlation of the nearest fingerprint stranger
 * are the nearest-stranger values, and each candidate floor is their first quartile. Pairs
 * above either floor are checked ([Note: Near-duplicate method] in duplicates.ts). A floor set
 * by strangers, not by edits, keeps the checks per photo to a handful in any model's scale: a
 * quarter of the photos have no stranger above it, and a photo's own copies sit above its
 * nearest stranger. Measured values per model are in docs/explore.md.
 */
export async function calibrateDuplicateThreshold(
  deps: CalibrationDeps,
  /** The library's photos, row for row with `library`. */
  photoIds: readonly PhotoId[],
  library: LibraryFingerprints,
  /** The same photos' rows in a repeatable order that does not follow folders (content hash). */
  byContent: readonly number[],
): Promise<DuplicateCalibration> {
  const rowOf = new Map(photoIds.map((photoId, row) => [photoId, row]));
  const sample = evenlySpread(
    byContent.filter((row) => library.fingerprints[row]),
    CALIBRATION_SAMPLE,
  );
  if (sample.length === 0) {
    throw new PhotoseekError(
      'NOT_FOUND',
      'No photo thumbnail could be read to calibrate the duplicate threshold: index the library again.',
    );
  }
  const modelStrangers: number[] = [];
  const fingerprintStrangers: number[] = [];
  for (const [done, row] of sample.entries()) {
    deps.signal?.throwIfAborted();
    const views = fingerprintViews(library.fingerprints[row]!);
    const photoId = photoIds[row]!;
    const vector = deps.vectors.get(photoId);
    const byModel = vector
      ? deps.vectors.search(vector, NEIGHBOURS, { excludePhotoIds: [photoId] }).flatMap((hit) => {
          const other = rowOf.get(hit.photoId);
          return other === undefined ? [] : [{ row: other, score: hit.score }];
        })
      : [];
    const byFingerprint = nearestWholes(library, row, NEIGHBOURS);
    const isStranger = (other: number) => {
      const fingerprint = library.fingerprints[other];
      return fingerprint
        ? imageMatch(views, fingerprintViews(fingerprint)) < SAME_SHOT_MATCH
        : false;
    };
    const modelStranger = byModel.find((hit) => isStranger(hit.row));
    if (modelStranger) modelStrangers.push(modelStranger.score);
    const fingerprintStranger = byFingerprint.find((hit) => isStranger(hit.row));
    if (fingerprintStranger) fingerprintStrangers.push(fingerprintStranger.score);
    deps.onProgress?.(done + 1, sample.length);
    // The search is synchronous: let a cancel and progress through between samples.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    modelId: deps.modelId,
    method: CALIBRATION_METHOD,
    threshold: SAME_SHOT_MATCH,
    sampled: sample.length,
    // No stranger among the neighbours (a library of copies): compare every pair the LSH meets.
    modelFloor: modelStrangers.length > 0 ? quantile(modelStrangers, 0.25) : -1,
    fingerprintFloor: fingerprintStrangers.length > 0 ? quantile(fingerprintStrangers, 0.25) : -1,
  };
}

const NEIGHBOURS = 12;

/** The `k` rows whose whole-picture view is nearest row `row`'s (brute force: 144 values a row). */
function nearestWholes(
  library: LibraryFingerprints,
  row: number,
  k: number,
): { row: number; score: number }[] {
  const { wholes, fingerprints } = library;
  const scored: { row: number; score: number }[] = [];
  for (let other = 0; other < fingerprints.length; other++) {
    if (other === row || !fingerprints[other]) continue;
    let score = 0;
    for (let d = 0; d < FINGERPRINT_DIM; d++)
      score += wholes[row * FINGERPRINT_DIM + d]! * wholes[other * FINGERPRINT_DIM + d]!;
    scored.push({ row: other, score });
  }
  return scored.sort((x, y) => y.score - x.score).slice(0, k);
}
