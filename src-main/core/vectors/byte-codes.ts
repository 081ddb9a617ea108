import type { Codebook } from './codebook';
import { BYTE_ROW_ALIGN } from './byte-kernel';

/**
 * [Note: Byte codes for re-ranking] Besides its sign plane, every photo has a byte code held in
 * memory: one int8 per dimension, x_i = round((v_i − centre_i) / step_i) clamped to ±127, with
 * step_i = BYTE_SPAN × (median |v_i − centre_i|) / 127 from the codebook. A query meets them as
 * int16 weights w_i ∝ q_i · step_i, so Σ w_i x_i estimates dot(q, v) up to a term the same for
 * every photo, with a rounding error of standard deviation √(Σ q_i² step_i² / 12) (the weights'
 * own rounding adds ≈ 10⁻⁵ of a cosine: left out). Scored by the SIMD kernel
 * ([Note: Byte-code kernel in WebAssembly SIMD]) over the survivors of the sign-plane scan, they
 * leave few photos for the exact ranking in SQL: on 100k clustered photos at k = 1,000, the best
 * 1,100 by byte score held 100% of the exact top 1,000 (the 2-bit estimate they replace: 72%).
 * BYTE_SPAN = 8 clamps at ≈ 5.4 standard deviations of a Gaussian dimension, so clamping is rare
 * and, like every estimate error, can only cost recall (candidates are ranked exactly). Memory:
 * dim bytes a photo (512 MB at a million 512-d photos), in the kernel's WebAssembly memory.
 */
const BYTE_SPAN = 8;

export interface ByteScale {
  readonly centre: Float32Array;
  /** step_i: what one unit of x_i stands for. */
  readonly step: Float32Array;
  /** dim rounded up to the kernel's row alignment; the padding bytes are 0. */
  readonly rowBytes: number;
}

export function byteRowBytes(dim: number): number {
  return Math.ceil(dim / BYTE_ROW_ALIGN) * BYTE_ROW_ALIGN;
}

export function byteScale(codebook: Codebook): ByteScale {
  const dim = codebook.centre.length;
  const deviations = codebook.magnitudeThreshold;
  let meanDeviation = 0;
  for (const deviation of deviations) meanDeviation += deviation / dim;
  // A dimension that did not vary in the training sample still gets a usable step.
  const floor = Math.max(meanDeviation / 16, Number.MIN_VALUE);
  const step = Float32Array.from(
    deviations,
    (deviation) => (BYTE_SPAN * Math.max(deviation, floor)) / 127,
  );
  return { centre: codebook.centre, step, rowBytes: byteRowBytes(dim) };
}

/** Writes the byte code of `embedding` into out[at ... at + dim); padding is left as it is. */
export function encodeBytes(
  embedding: Float32Array,
  scale: ByteScale,
  out: Int8Array,
  at: number,
): void {
  const { centre, step } = scale;
  for (let i = 0; i < embedding.length; i++) {
    const units = Math.round((embedding[i]! - centre[i]!) / step[i]!);
    out[at + i] = units > 127 ? 127 : units < -127 ? -127 : units;
  }
}

export interface ByteQuery {
  /** rowBytes int16 weights (0 past dim). */
  readonly weights: Int16Array;
  /** One standard deviation of the byte score's rounding error, in score units. */
  readonly noise: number;
}

export function byteQuery(query: Float32Array, scale: ByteScale): ByteQuery {
  const { step, rowBytes } = scale;
  let largest = 0;
  for (let i = 0; i < query.length; i++)
    largest = Math.max(largest, Math.abs(query[i]! * step[i]!));
  // |Σ w_i x_i| ≤ rowBytes × 127 × maxWeight must stay below 2^31 (the kernel adds in int32).
  const maxWeight = Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * rowBytes)));
  const unit = largest > 0 ? maxWeight / largest : 0;
  const weights = new Int16Array(rowBytes);
  let variance = 0;
  for (let i = 0; i < query.length; i++) {
    const weight = query[i]! * step[i]!;
    weights[i] = Math.round(weight * unit);
    variance += (weight * weight) / 12;
  }
  return { weights, noise: Math.sqrt(variance) * unit };
}
