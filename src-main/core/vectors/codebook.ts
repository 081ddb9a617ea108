/**
 * [Note: Binary codes with asymmetric scoring] Every embedding also gets a 1-bit-per-dimension code,
 * its sign plane relative to the library's centre (the mean of the first vectors indexed): bit i is
 * set when v_i > centre_i. A query is NOT binarised: it becomes a lookup table that adds, per code
 * byte, the query-weighted offsets of the bits that are set (v_i ≈ centre_i + above_i or − below_i,
 * the mean deviations on each side), so a code is scored as dot(q, estimate of v) up to a term that
 * is the same for every photo. Hamming distance between a binarised query and the codes (what vec0
 * bit[] offers) throws away the query's magnitudes; on text queries, whose cosine to every photo is
 * low and flat (CLIP's modality gap), it needed ten times more candidates for the same recall. The
 * residual variance of the estimate per dimension gives its standard deviation for a given query,
 * which sizes the candidate margin ([Note: Candidate count]). The survivors are scored again from
 * their byte codes ([Note: Byte codes for re-ranking]), whose scale comes from the codebook's
 * per-dimension median deviation.
 *
 * Earlier codes had a second, magnitude plane scored by a "fine" round; the byte codes replaced
 * it (the fine estimate needed 8,000 candidates for recall 0.99 at k = 1,000 on 100k photos, the
 * byte codes 1,100). Codes and codebooks stored by that version still read: both keep the fields
 * used here first (the sign plane's words; centre, signStep, coarseVariance, magnitudeThreshold).
 */

/** Bits are packed little-endian into 32-bit words: bit i is bit (i % 32) of word ⌊i / 32⌋. */
export function codeWords(dim: number): number {
  return Math.ceil(dim / 32);
}

/** Per-dimension parameters of the estimate, all of length dim. */
export interface Codebook {
  readonly centre: Float32Array;
  /** What a set sign bit adds (above_i + below_i). */
  readonly signStep: Float32Array;
  /** Variance of (v_i − its estimate). */
  readonly coarseVariance: Float32Array;
  /** Median of |v_i − centre_i|: the unit of the byte codes' scale. */
  readonly magnitudeThreshold: Float32Array;
}

const CODEBOOK_FIELDS = [
  'centre',
  'signStep',
  'coarseVariance',
  'magnitudeThreshold',
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
  };
  for (let i = 0; i < dim; i++) {
    const values = deviations[i]!;
    const above = meanWhere(values, (d) => d > 0);
    const below = meanWhere(values, (d) => d <= 0);
    const coarse = (d: number) => (d > 0 ? above : below);
    codebook.signStep[i] = above - below;
    codebook.coarseVariance[i] = meanOf(values, (d) => (d - coarse(d)) ** 2);
    codebook.magnitudeThreshold[i] = median(values.map(Math.abs));
  }
  return codebook;
}

/** The code: the sign plane's words. */
export function encode(embedding: Float32Array, codebook: Codebook): Int32Array {
  const code = new Int32Array(codeWords(embedding.length));
  for (let i = 0; i < embedding.length; i++) {
    if (embedding[i]! > codebook.centre[i]!) code[i >>> 5]! |= 1 << (i & 31);
  }
  return code;
}

/**
 * Scores codes against one query. The table has 256 entries per code byte: entry
 * [byte position × 256 + byte value] is the fixed-point sum of the weights of the bits set. Noise
 * is one standard deviation of the estimate's error, in the same units as the table.
 */
export interface QueryTables {
  readonly coarse: Int32Array;
  readonly coarseNoise: number;
}

/**
 * Weights are scaled so that the largest possible |score| stays below 2^30: sums then stay small
 * integers in V8, which adds them faster than floats.
 */
const SCORE_RANGE = 2 ** 30;

export function buildQueryTables(query: Float32Array, codebook: Codebook): QueryTables {
  const weights = Float64Array.from(query, (value, i) => value * codebook.signStep[i]!);
  const noise = Math.sqrt(
    query.reduce((sum, value, i) => sum + value * value * codebook.coarseVariance[i]!, 0),
  );
  const unit = unitFor(weights);
  return { coarse: lookupTable(weights, unit), coarseNoise: noise * unit };
}

function unitFor(weights: Float64Array): number {
  let total = 0;
  for (const weight of weights) total += Math.abs(weight);
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

/** Reads this version's blob and the older, longer one (whose first fields are the same). */
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
