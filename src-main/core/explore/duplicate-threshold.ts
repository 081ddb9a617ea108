import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { PhotoseekError } from '../../shared/errors';
import type { PhotoId } from '../../shared/types';
import type { VectorIndex } from '../store/vector-index';
import { evenlySpread } from '../../shared/evenly-spread';
import { quantile } from '../vector-math';
import { FINGERPRINT_DIM, fingerprintOf, fingerprintViews, imageMatch } from './image-fingerprint';
import type { LibraryFingerprints } from './library-fingerprints';

/** What a library's calibration found for one model; stored per model so it runs once. */
export interface DuplicateCalibration {
  modelId: string;
  /** The method that measured it: a calibration of another method is measured again. */
  method: typeof CALIBRATION_METHOD;
  /** Image match ([Note: Image fingerprint]) at or above which two photos are the same shot. */
  threshold: number;
  /** Library photos sampled, and the image matches measured (quantiles used). */
  sampled: number;
  sameShotLow: number;
  differentHigh: number;
  /** Candidate floors: model cosine, and whole-picture fingerprint correlation. */
  modelFloor: number;
  fingerprintFloor: number;
}

export interface CalibrationDeps {
  modelId: string;
  vectors: VectorIndex;
  /** The JPEG thumbnail of an indexed photo, or null when it has none. */
  thumbnailPath(photoId: PhotoId): string | null;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export const CALIBRATION_SAMPLE = 24;
export const CALIBRATION_METHOD = 2;

/**
 * [Note: Duplicate threshold per model] Cosines mean different things per model (CLIP's photos
 * of one scene sit near 0.9, MobileNetV2's unrelated photos already near 0.6, the synthetic
 * colour model's near-grey photos flip sign under a brightness edit), so nothing here is a
 * constant of one model: everything is measured on the library itself, once per model. Up to
 * CALIBRATION_SAMPLE photos, spread over the library in content-hash order (repeatable whatever
 * order indexing took), are the sample.
 *
 * - Same shot: each sample's thumbnail is edited with sharp (half size, JPEG quality 40, a 90 %
 *   centre crop, brightness +20 %, saturation −30 %) and fingerprinted; its image matches to the
 *   sample's own fingerprint form the "same shot" distribution.
 * - Different photos: each sample's 12 nearest photos by the model and 12 nearest by fingerprint;
 *   those whose image match is below the same-shot 5th percentile are strangers (closer ones are
 *   likely the library's own duplicates). The best match among them is one "different photos"
 *   value; the model cosine of the nearest model stranger and the fingerprint correlation of
 *   the nearest fingerprint stranger are the nearest-stranger values.
 * - The threshold on the image match lies between the same-shot 5th percentile and the
 *   different-photos 90th, at SPLIT of the way up from the different side (the same-shot 5th
 *   percentile when they overlap).
 * - Candidate floors, one per signal: the first quartile of the nearest-stranger values. Pairs
 *   above either floor are checked ([Note: Near-duplicate method] in duplicates.ts). A floor set
 *   by strangers, not by edits, keeps the checks per photo to a handful in any model's scale:
 *   a quarter of the photos have no stranger above it, and a photo's own copies sit above its
 *   nearest stranger. Measured values per model are in docs/explore.md.
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
  const same: number[] = [];
  const measured: { row: number; views: Float32Array }[] = [];
  for (const [done, row] of sample.entries()) {
    deps.signal?.throwIfAborted();
    const thumbnail = deps.thumbnailPath(photoIds[row]!);
    const bytes = thumbnail ? await readFile(thumbnail).catch(() => null) : null;
    if (!bytes) continue;
    const views = fingerprintViews(library.fingerprints[row]!);
    const edited = await Promise.all(EDITS.map(async (edit) => fingerprintOf(await edit(bytes))));
    for (const fingerprint of edited) same.push(imageMatch(views, fingerprintViews(fingerprint)));
    measured.push({ row, views });
    deps.onProgress?.(done + 1, sample.length);
  }
  if (measured.length === 0) {
    throw new PhotoseekError(
      'NOT_FOUND',
      'No photo thumbnail could be read to calibrate the duplicate threshold: index the library again.',
    );
  }
  const sameShotLow = quantile(same, 0.05);
  const different: number[] = [];
  const modelStrangers: number[] = [];
  const fingerprintStrangers: number[] = [];
  for (const { row, views } of measured) {
    const photoId = photoIds[row]!;
    const vector = deps.vectors.get(photoId);
    const byModel = vector
      ? deps.vectors.search(vector, NEIGHBOURS, { excludePhotoIds: [photoId] }).flatMap((hit) => {
          const other = rowOf.get(hit.photoId);
          return other === undefined ? [] : [{ row: other, score: hit.score }];
        })
      : [];
    const byFingerprint = nearestWholes(library, row, NEIGHBOURS);
    const strangerMatch = (other: number) => {
      const fingerprint = library.fingerprints[other];
      if (!fingerprint) return null;
      const match = imageMatch(views, fingerprintViews(fingerprint));
      return match < sameShotLow ? match : null;
    };
    const matches = new Map<number, number | null>();
    const matchOf = (other: number) => {
      if (!matches.has(other)) matches.set(other, strangerMatch(other));
      return matches.get(other)!;
    };
    const modelStranger = byModel.find((hit) => matchOf(hit.row) !== null);
    if (modelStranger) modelStrangers.push(modelStranger.score);
    const fingerprintStranger = byFingerprint.find((hit) => matchOf(hit.row) !== null);
    if (fingerprintStranger) fingerprintStrangers.push(fingerprintStranger.score);
    const strangers = [...matches.values()].filter((match) => match !== null);
    if (strangers.length > 0) different.push(Math.max(...strangers));
  }
  const differentHigh = different.length > 0 ? quantile(different, 0.9) : sameShotLow;
  return {
    modelId: deps.modelId,
    method: CALIBRATION_METHOD,
    threshold: pickThreshold(sameShotLow, differentHigh),
    sampled: measured.length,
    sameShotLow,
    differentHigh,
    // No stranger among the neighbours (a library of copies): compare every pair the LSH meets.
    modelFloor: modelStrangers.length > 0 ? quantile(modelStrangers, 0.25) : -1,
    fingerprintFloor: fingerprintStrangers.length > 0 ? quantile(fingerprintStrangers, 0.25) : -1,
  };
}

/** Between the two distributions' tails, nearer the same-shot side; never above it. */
export function pickThreshold(sameShotLow: number, differentHigh: number): number {
  if (differentHigh >= sameShotLow) return sameShotLow;
  return differentHigh + SPLIT * (sameShotLow - differentHigh);
}

const SPLIT = 0.5;
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

type Edit = (bytes: Buffer) => Promise<Buffer>;
const EDITS: readonly Edit[] = [
  async (bytes) => {
    const { width = 2 } = await sharp(bytes).metadata();
    return sharp(bytes)
      .resize({ width: Math.max(1, Math.round(width / 2)) })
      .jpeg()
      .toBuffer();
  },
  (bytes) => sharp(bytes).jpeg({ quality: 40 }).toBuffer(),
  async (bytes) => {
    const { width = 1, height = 1 } = await sharp(bytes).metadata();
    const cropWidth = Math.max(1, Math.round(width * 0.9));
    const cropHeight = Math.max(1, Math.round(height * 0.9));
    return sharp(bytes)
      .extract({
        left: Math.floor((width - cropWidth) / 2),
        top: Math.floor((height - cropHeight) / 2),
        width: cropWidth,
        height: cropHeight,
      })
      .jpeg()
      .toBuffer();
  },
  (bytes) => sharp(bytes).modulate({ brightness: 1.2 }).jpeg().toBuffer(),
  (bytes) => sharp(bytes).modulate({ saturation: 0.7 }).jpeg().toBuffer(),
];
