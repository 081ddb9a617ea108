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
 * coarse scan, 500 s at 100k. The vectors are centred on their mean first (a model like
 * MobileNetV2, whose features are all ≥ 0, puts every photo in a narrow cone, where raw
 * hyperplanes would put most photos in one bucket) and projected once onto PLANES shared random
 * planes: each photo's 128 signs are its sketch. Each table's key is `bits` of those signs.
 * A pair at angle θ after centring shares a key with probability p = (1 − θ/π)^bits in one
 * table, and is missed by all of them with (1 − p)^tables, so fewer bits (larger buckets) buy
 * recall; what they cost is the comparisons inside a bucket. Those are made cheap by the sketch:
 * the Hamming distance of two sketches estimates their centred angle (≈ PLANES·θ/π), and only a
 * pair whose distance is within SKETCH_SIGMAS standard deviations of what the threshold allows
 * gets its exact 512-d cosine (the threshold is per raw cosine; its centred angle is computed
 * per pair from each photo's dot with the mean, so no pair above the threshold is expected to
 * be dropped by more than ~0.1 %). Measured in bench/duplicates.bench.ts (100k × 512, planted
 * copies at cosine ≥ 0.88): 15 bits per table and no sketch gave pair recall 0.735 in 12.6 s;
 * buckets of ~BUCKET photos with the sketch: 0.927 in 9.8 s (docs/benchmarks.md). Hand-written:
 * the npm LSH packages found are unmaintained and work on arrays of numbers, not packed
 * Float32Arrays.
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
  const bits = Math.max(1, Math.min(MAX_BITS, Math.round(Math.log2(n / BUCKET))));
  const sketch = sketches(vectors, dim, n, options.seed ?? 1);
  const hammingAllowed = allowedDistances(threshold, sketch);
  const random = seededRandom((options.seed ?? 1) + 7);
  const found = new Map<number, SimilarPair>();
  const keys = new Uint32Array(n);
  const order = new Uint32Array(n);
  const { words } = sketch;
  for (let table = 0; table < tables; table++) {
    options.signal?.throwIfAborted();
    const chosen = Array.from({ length: bits }, () => Math.floor(random() * PLANES));
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (const plane of chosen)
        key = (key << 1) | ((words[i * WORDS + (plane >> 5)]! >>> (plane & 31)) & 1);
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
          if (hamming(words, a, b) > hammingAllowed(a, b)) continue;
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
const WORDS = PLANES / 32;
const DEFAULT_TABLES = 24;
const MAX_BITS = 24;
/** Photos per bucket aimed at: ~BUCKET / 2 cheap sketch comparisons per photo and table. */
const BUCKET = 48;
/** How far above its expected value a pair's sketch distance may lie and still be verified. */
const SKETCH_SIGMAS = 3;

interface Sketches {
  /** PLANES sign bits per vector, WORDS words each. */
  words: Uint32Array;
  /** Each vector's dot with the mean, and its distance from the mean. */
  meanDot: Float64Array;
  centredNorm: Float64Array;
  meanNormSquared: number;
}

/** Sign bit of each centred vector on each of PLANES Gaussian random planes, packed. */
function sketches(vectors: Float32Array, dim: number, n: number, seed: number): Sketches {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += vectors[i * dim + d]!;
  let meanNormSquared = 0;
  for (let d = 0; d < dim; d++) {
    mean[d]! /= n;
    meanNormSquared += mean[d]! * mean[d]!;
  }
  const random = seededRandom(seed);
  const planes = new Float32Array(PLANES * dim);
  for (let i = 0; i < planes.length; i++) planes[i] = gaussian(random);
  const offsets = new Float64Array(PLANES);
  for (let p = 0; p < PLANES; p++) {
    let offset = 0;
    for (let d = 0; d < dim; d++) offset += mean[d]! * planes[p * dim + d]!;
    offsets[p] = offset;
  }
  const words = new Uint32Array(n * WORDS);
  const meanDot = new Float64Array(n);
  const centredNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Four planes per pass over the vector: a quarter of the loads of one dot product each.
    for (let p = 0; p < PLANES; p += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0, v = i * dim, q = p * dim; d < dim; d++, v++, q++) {
        const value = vectors[v]!;
        s0 += value * planes[q]!;
        s1 += value * planes[q + dim]!;
        s2 += value * planes[q + 2 * dim]!;
        s3 += value * planes[q + 3 * dim]!;
      }
      const sums = [s0, s1, s2, s3];
      for (let k = 0; k < 4; k++)
        if (sums[k]! >= offsets[p + k]!) words[i * WORDS + ((p + k) >> 5)]! |= 1 << ((p + k) & 31);
    }
    let along = 0;
    for (let d = 0; d < dim; d++) along += vectors[i * dim + d]! * mean[d]!;
    meanDot[i] = along;
    centredNorm[i] = Math.sqrt(Math.max(0, 1 - 2 * along + meanNormSquared));
  }
  return { words, meanDot, centredNorm, meanNormSquared };
}

/**
 * The largest sketch distance at which a pair may still reach `threshold`: the threshold's
 * centred cosine for that pair, its angle, PLANES·θ/π expected differing signs, plus
 * SKETCH_SIGMAS binomial standard deviations. The angle comes from a table (rounded up).
 */
function allowedDistances(
  threshold: number,
  { meanDot, centredNorm, meanNormSquared }: Sketches,
): (a: number, b: number) => number {
  const steps = 1024;
  const allowed = new Float64Array(steps + 1);
  for (let step = 0; step <= steps; step++) {
    const centredCosine = -1 + (2 * step) / steps;
    const share = Math.acos(centredCosine) / Math.PI;
    allowed[step] = PLANES * share + SKETCH_SIGMAS * Math.sqrt(PLANES * share * (1 - share));
  }
  return (a, b) => {
    const norms = centredNorm[a]! * centredNorm[b]!;
    if (norms === 0) return PLANES;
    const centred = (threshold - meanDot[a]! - meanDot[b]! + meanNormSquared) / norms;
    if (centred <= -1) return PLANES;
    if (centred >= 1) return allowed[steps]!;
    return allowed[Math.floor(((centred + 1) / 2) * steps)]!;
  };
}

function hamming(words: Uint32Array, a: number, b: number): number {
  let distance = 0;
  for (let w = 0; w < WORDS; w++)
    distance += popcount(words[a * WORDS + w]! ^ words[b * WORDS + w]!);
  return distance;
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function dot(x: Float32Array, xAt: number, y: Float32Array, yAt: number, dim: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += x[xAt + d]! * y[yAt + d]!;
  return sum;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
