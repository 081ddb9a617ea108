import type { DuplicateCalibration } from './duplicate-threshold';
import { FINGERPRINT_DIM, imageMatches } from './image-fingerprint';
import type { LibraryFingerprints } from './library-fingerprints';
import { similarPairs, type SimilarPair } from './similar-pairs';

export interface SameShotPairsOptions {
  /** Called after each hash table with (tables done, tables), over both signals. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Pairs of photos (rows of `vectors` and `library`) that are the same shot ([Note:
 * Near-duplicate method] in duplicates.ts): candidates from the model's vectors above
 * `modelFloor` and from the fingerprints' whole-picture views above `fingerprintFloor`, each found
 * by LSH ([Note: Near-duplicate candidates]), kept when their image match reaches the threshold.
 * `similarity` is the image match.
 */
export function sameShotPairs(
  vectors: Float32Array,
  dim: number,
  library: LibraryFingerprints,
  calibration: Pick<DuplicateCalibration, 'threshold' | 'modelFloor' | 'fingerprintFloor'>,
  options: SameShotPairsOptions = {},
): SimilarPair[] {
  const n = vectors.length / dim;
  const tables = TABLES;
  const cancel = options.signal ? { signal: options.signal } : {};
  const byModel = similarPairs(vectors, dim, calibration.modelFloor, {
    tables,
    onProgress: (done) => options.onProgress?.(done, 2 * tables),
    ...cancel,
  });
  const byFingerprint = similarPairs(
    library.wholes,
    FINGERPRINT_DIM,
    calibration.fingerprintFloor,
    {
      tables,
      onProgress: (done) => options.onProgress?.(tables + done, 2 * tables),
      ...cancel,
    },
  );
  const candidates = new Map<number, { a: number; b: number }>();
  for (const { a, b } of [...byModel, ...byFingerprint]) candidates.set(a * n + b, { a, b });
  const pairs = [...candidates.values()];
  const matches = imageMatches(pairs, library.fingerprints, library.wholes);
  return pairs.flatMap((pair, i) =>
    matches[i]! >= calibration.threshold ? [{ ...pair, similarity: matches[i]! }] : [],
  );
}

const TABLES = 24;
