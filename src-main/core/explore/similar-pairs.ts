import { seededRandom } from '../seeded-random';

/** Two photos (indices into the vectors given) whose cosine similarity reached the threshold. */
export interface SimilarPair {
  a: number;
  b: number;
  similarity: number;
}

export interface SimilarPairsOptions {
  /** Hash tables to build; more raise recall and cost time (see the note). */
  tables?: number;
  /** Seed of the random hyperplanes (the same seed gives the same pairs). */
  seed?: number;
  /** Called after each table with (tables done, tables). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * [Note: Near-duplicate candidates] Every pair of unit vectors (row after row in `vectors`)
 * with cosine ≥ `threshold`, found with random-hyperplane LSH (SimHash) and verified exactly:
 * only pairs that share a bucket in some table are ever compared. Brute force over all pairs of
 * 100k × 512 is 2.5e12 multiply-adds; one VectorIndex top-k search per photo costs ~5 ms of
 * coarse scan, 500 s at 100k. Here the vectors are centred on their mean first (a model like
 * MobileNetV2, whose features are all ≥ 0, puts every photo in a narrow cone, where raw
 * hyperplanes would put most photos in one bucket), projected once onto PLANES shared random
 * planes, and each table's key is `bits` of those signs (bits = log2(n / 4), so a bucket holds
 * about four photos). A pair at angle θ after centring shares a key with probability
 * p = (1 − θ/π)^bits in one table, and is missed by all of them with (1 − p)^tables. Measured in
 * bench/duplicates.bench.ts (100k × 512, planted copies at cosine ≥ 0.9): see docs/benchmarks.md.
 * Hand-written: the npm LSH packages found are unmaintained and work on arrays of numbers, not
 * packed Float32Arrays; this is ~100 lines.
 */
export function similarPairs(
  vectors: Float32Array,
  dim: number,
  threshold: number,
  options: SimilarPairsOptions = {},
): SimilarPair[] {
  const n = vectors.length / dim;
  if (n < 2) return [];
  const tables = options.tables ?? DEFAULT_TABLES;
  const bits = Math.max(1, Math.min(MAX_BITS, Math.round(Math.log2(n / 4))));
  const signs = signMatrix(vectors, dim, n, options.seed ?? 1);
  const random = seededRandom((options.seed ?? 1) + 7);
  const found = new Map<number, SimilarPair>();
  const keys = new Uint32Array(n);
  const order = new Uint32Array(n);
  for (let table = 0; table < tables; table++) {
    options.signal?.throwIfAborted();
    const chosen = Array.from({ length: bits }, () => Math.floor(random() * PLANES));
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (const plane of chosen) key = (key << 1) | signs[i * PLANES + plane]!;
      keys[i] = key >>> 0;
      order[i] = i;
    }
    order.sort((x, y) => keys[x]! - keys[y]!);
    for (let start = 0; start < n;) {
      let end = start + 1;
      while (end < n && keys[order[end]!] === keys[order[start]!]) end++;
      for (let x = start; x < end; x++) {
        for (let y = x + 1; y < end; y++) {
          const a = Math.min(order[x]!, order[y]!);
          const b = Math.max(order[x]!, order[y]!);
          const pairKey = a * n + b;
          if (found.has(pairKey)) continue;
          const similarity = dot(vectors, a * dim, vectors, b * dim, dim);
          if (similarity >= threshold) found.set(pairKey, { a, b, similarity });
        }
      }
      start = end;
    }
    options.onProgress?.(table + 1, tables);
  }
  return [...found.values()];
}

const PLANES = 128;
const DEFAULT_TABLES = 24;
const MAX_BITS = 24;

/** Sign bit (0/1) of each centred vector on each of PLANES Gaussian random planes. */
function signMatrix(vectors: Float32Array, dim: number, n: number, seed: number): Uint8Array {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += vectors[i * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= n;
  const random = seededRandom(seed);
  const planes = new Float32Array(PLANES * dim);
  for (let i = 0; i < planes.length; i++) planes[i] = gaussian(random);
  const offsets = new Float64Array(PLANES);
  for (let p = 0; p < PLANES; p++) {
    let offset = 0;
    for (let d = 0; d < dim; d++) offset += mean[d]! * planes[p * dim + d]!;
    offsets[p] = offset;
  }
  const signs = new Uint8Array(n * PLANES);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < PLANES; p++) {
      signs[i * PLANES + p] = dot(vectors, i * dim, planes, p * dim, dim) >= offsets[p]! ? 1 : 0;
    }
  }
  return signs;
}

function dot(x: Float32Array, xAt: number, y: Float32Array, yAt: number, dim: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += x[xAt + d]! * y[yAt + d]!;
  return sum;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
