/**
 * [Note: Binary codes with asymmetric scoring] Every embedding also gets a 2-bit-per-dimension code
 * in two bit planes, relative to the library's centre (the mean of the first vectors indexed):
 *   sign plane       bit i set when v_i > centre_i
 *   magnitude plane  bit i set when |v_i − centre_i| exceeds that dimension's median deviation
 * A query is NOT binarised: it becomes lookup tables that add, per code byte, the query-weighted
 * offsets of the bits that are set, so a code is scored as dot(q, estimate of v) up to a term that
 * is the same for every photo. The coarse score reads the sign plane only (v_i ≈ centre_i +
 * above_i or − below_i, the mean deviations on each side); the fine score reads both planes (one of
 * four levels per dimension: the mean deviation within each sign × magnitude cell), written as
 *   level = N1 + s·(P1 − N1) + m·(N2 − N1) + (s∧m)·((P2 − P1) − (N2 − N1))
 * so that it too is a sum of per-bit weights over three bit vectors: s, m and s∧m.
 * Hamming distance between a binarised query and the codes (what vec0 bit[] offers) throws away the
 * query's magnitudes; on text queries, whose cosine to every photo is low and flat (CLIP's modality
 * gap), it needed ten times more candidates for the same recall. The residual variance of each
 * estimate per dimension gives its standard deviation for a given query, which sizes the candidate
 * margins ([Note: Candidate count]).
 */

/** Bits are packed little-endian into 32-bit words: bit i is bit (i % 32) of word ⌊i / 32⌋. */
export function codeWords(dim: number): number {
  return Math.ceil(dim / 32);
}

/** Per-dimension parameters of both estimates, all of length dim. */
export interface Codebook {
  readonly centre: Float32Array;
  /** Coarse: what a set sign bit adds (above_i + below_i). */
  readonly signStep: Float32Array;
  /** Coarse: variance of (v_i − its coarse estimate). */
  readonly coarseVariance: Float32Array;
  readonly magnitudeThreshold: Float32Array;
  /** Fine: the weights of s, m and s∧m (see the note). */
  readonly fineSignStep: Float32Array;
  readonly fineMagnitudeStep: Float32Array;
  readonly fineBothStep: Float32Array;
  /** Fine: variance of (v_i − its fine estimate). */
  readonly fineVariance: Float32Array;
}

const CODEBOOK_FIELDS = [
  'centre',
  'signStep',
  'coarseVariance',
  'magnitudeThreshold',
  'fineSignStep',
  'fineMagnitudeStep',
  'fineBothStep',
  'fineVariance',
] as const satisfies readonly (keyof Codebook)[];

export function trainCodebook(samples: readonly Float32Array[], dim: number): Codebook {
  const count = Math.max(1, samples.length);
  const centre = new Float32Array(dim);
  const deviations = Array.from({ length: dim }, () => new Float64Array(samples.length));
  for (let i = 0; i < dim; i++) {
    let sum = 0;
    for (const sample of samples) sum += sample[i]!;
    centre[i] = sum / count;
  }
  samples.forEach((sample, row) => {
    for (let i = 0; i < dim; i++) deviations[i]![row] = sample[i]! - centre[i]!;
  });

  const codebook: Record<keyof Codebook, Float32Array> = {
    centre,
    signStep: new Float32Array(dim),
    coarseVariance: new Float32Array(dim),
    magnitudeThreshold: new Float32Array(dim),
    fineSignStep: new Float32Array(dim),
    fineMagnitudeStep: new Float32Array(dim),
    fineBothStep: new Float32Array(dim),
    fineVariance: new Float32Array(dim),
  };
  for (let i = 0; i < dim; i++) {
    const values = deviations[i]!;
    const threshold = median(values.map(Math.abs));
    const above = meanWhere(values, (d) => d > 0);
    const below = meanWhere(values, (d) => d <= 0);
    const p1 = meanWhere(values, (d) => d > 0 && d <= threshold);
    const p2 = meanWhere(values, (d) => d > threshold);
    const n1 = meanWhere(values, (d) => d <= 0 && d >= -threshold);
    const n2 = meanWhere(values, (d) => d < -threshold);
    const coarse = (d: number) => (d > 0 ? above : below);
    const fine = (d: number) => (Math.abs(d) > threshold ? (d > 0 ? p2 : n2) : d > 0 ? p1 : n1);
    codebook.signStep[i] = above - below;
    codebook.coarseVariance[i] = meanOf(values, (d) => (d - coarse(d)) ** 2);
    codebook.magnitudeThreshold[i] = threshold;
    codebook.fineSignStep[i] = p1 - n1;
    codebook.fineMagnitudeStep[i] = n2 - n1;
    codebook.fineBothStep[i] = p2 - p1 - (n2 - n1);
    codebook.fineVariance[i] = meanOf(values, (d) => (d - fine(d)) ** 2);
  }
  return codebook;
}

/** The code: the sign plane's words, then the magnitude plane's. */
export function encode(embedding: Float32Array, codebook: Codebook): Int32Array {
  const words = codeWords(embedding.length);
  const code = new Int32Array(2 * words);
  for (let i = 0; i < embedding.length; i++) {
    const deviation = embedding[i]! - codebook.centre[i]!;
    if (deviation > 0) code[i >>> 5]! |= 1 << (i & 31);
    if (Math.abs(deviation) > codebook.magnitudeThreshold[i]!)
      code[words + (i >>> 5)]! |= 1 << (i & 31);
  }
  return code;
}

/**
 * Scores codes against one query. Each table has 256 entries per code byte: entry
 * [byte position × 256 + byte value] is the fixed-point sum of the weights of the bits set. Noise
 * is one standard deviation of the estimate's error, in the same units as its table.
 */
export interface QueryTables {
  readonly coarse: Int32Array;
  readonly coarseNoise: number;
  /** Applied to the sign bits, the magnitude bits and (sign & magnitude) bits. */
  readonly fineSign: Int32Array;
  readonly fineMagnitude: Int32Array;
  readonly fineBoth: Int32Array;
  readonly fineNoise: number;
}

/**
 * Weights are scaled so that the largest possible |score| stays below 2^30: sums then stay small
 * integers in V8, which adds them faster than floats.
 */
const SCORE_RANGE = 2 ** 30;

export function buildQueryTables(query: Float32Array, codebook: Codebook): QueryTables {
  const weights = (step: Float32Array) => Float64Array.from(query, (value, i) => value * step[i]!);
  const noise = (variance: Float32Array) =>
    Math.sqrt(query.reduce((sum, value, i) => sum + value * value * variance[i]!, 0));

  const coarseWeights = weights(codebook.signStep);
  const coarseUnit = unitFor([coarseWeights]);
  const fineWeights = [
    weights(codebook.fineSignStep),
    weights(codebook.fineMagnitudeStep),
    weights(codebook.fineBothStep),
  ] as const;
  const fineUnit = unitFor(fineWeights);
  return {
    coarse: lookupTable(coarseWeights, coarseUnit),
    coarseNoise: noise(codebook.coarseVariance) * coarseUnit,
    fineSign: lookupTable(fineWeights[0], fineUnit),
    fineMagnitude: lookupTable(fineWeights[1], fineUnit),
    fineBoth: lookupTable(fineWeights[2], fineUnit),
    fineNoise: noise(codebook.fineVariance) * fineUnit,
  };
}

function unitFor(weightSets: readonly Float64Array[]): number {
  let total = 0;
  for (const weights of weightSets) for (const weight of weights) total += Math.abs(weight);
  return total > 0 ? SCORE_RANGE / total : 0;
}

function lookupTable(weights: Float64Array, unit: number): Int32Array {
  const bytePositions = codeWords(weights.length) * 4;
  const scaled = new Int32Array(bytePositions * 8);
  for (let i = 0; i < weights.length; i++) scaled[i] = Math.round(weights[i]! * unit);
  const table = new Int32Array(bytePositions * 256);
  for (let position = 0, base = 0; position < bytePositions; position++, base += 256) {
    for (let bit = 0; bit < 8; bit++) {
      const weight = scaled[position * 8 + bit]!;
      const low = 1 << bit;
      for (let value = low; value < 2 * low; value++) {
        table[base + value] = table[base + value - low]! + weight;
      }
    }
  }
  return table;
}

/** The codebook as one blob: its fields' float32 arrays one after another. */
export function codebookToBlob(codebook: Codebook): Buffer {
  return Buffer.concat(CODEBOOK_FIELDS.map((field) => toBlob(codebook[field])));
}

export function codebookFromBlob(blob: Buffer, dim: number): Codebook {
  const values = float32FromBlob(blob);
  const entries = CODEBOOK_FIELDS.map((field, i) => [field, values.slice(i * dim, (i + 1) * dim)]);
  return Object.fromEntries(entries) as Record<keyof Codebook, Float32Array>;
}

export function toBlob(array: Float32Array | Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies: a Buffer from SQLite may sit at an offset that is not 4-byte aligned. */
export function float32FromBlob(blob: Buffer): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort();
  return sorted[sorted.length >> 1]!;
}

function meanWhere(values: Float64Array, keep: (value: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (!keep(value)) continue;
    sum += value;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

function meanOf(values: Float64Array, map: (value: number) => number): number {
  let sum = 0;
  for (const value of values) sum += map(value);
  return values.length > 0 ? sum / values.length : 0;
}
