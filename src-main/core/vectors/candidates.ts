import { byteQuery } from './byte-codes';
import { buildQueryTables, type Codebook } from './codebook';
import { scanPool, sharedInt32Array } from './scan-pool';
import type { VectorSlots } from './slots';

/** Which photos may be returned, resolved for the scan. */
export interface SlotFilter {
  /** dirMask[dense directory index] === 1 for allowed directories; null when any is allowed. */
  readonly dirMask: Uint8Array | null;
  /** slotMask[slot] === 1 for the allowed photos' slots; null when any photo is allowed. */
  readonly slotMask: Uint8Array | null;
  /** Inclusive lower and exclusive upper bound on takenAt; null when there is no date filter. */
  readonly dateRange: readonly [number, number] | null;
  readonly excludePhotoIds: readonly number[];
}

/**
 * [Note: Candidate count] The exact top-k is taken among candidates, so the candidate set decides
 * recall, never the filter's exactness (every candidate matches it). Two rounds narrow the matching
 * photos down, each keeping the photos whose estimated score is within a margin of the k-th best
 * estimate, measured in standard deviations of the estimate's noise for this query: a photo further
 * down would need an estimation error that many times the noise to belong to the top k.
 *   1. the sign-plane score (64 table lookups per 512-d photo, ≈ 45 ns on one core, spread over
 *      the scan pool) over every match;
 *   2. the byte-code score (SIMD kernel, [Note: Byte codes for re-ranking]) over the survivors of
 *      round 1: nearly exact, so few photos go on to SQL, where ranking exactly costs 2–7 µs a photo.
 * Each round's count is clamped to a [min, max] window; below minCandidates(k) matches the photos
 * are ranked outright (a selective filter, or an index too small to have a codebook). Round 1's
 * margin of 3 lost ≤ 0.1% of the text top-20 in bench/knn.bench.ts (2.5 lost 0.5%). The sign plane
 * alone is a rough estimate at large k: on 100k clustered photos its best 16,000 held 96–98% of
 * the exact top 1,000 and its best 32,000 99.4–99.8%, hence survivors of at least 16 k; the byte
 * round then keeps k plus its margin (4 σ), at most 2 k. Round 1 is skipped when it could not keep
 * fewer than an eighth of the matches (SIGN_ROUND_SHARE: k = 1,000 below 128,000 matches): the
 * byte round then scores every match in slot order, which streams through memory, where the
 * survivors of round 1 are scattered rows (measured on 100k photos at load ≈ 7: all 100k byte
 * codes in 7.2 ms, against 9.8 ms for round 1 over them plus 4.0 ms for 16,000 scattered
 * survivors). The cap bounds the exact ranking: each candidate is a random read of the embeddings
 * table, 2–5 µs from the page cache, ~100 µs from disk (measured at 1M photos, 4 GB of embeddings).
 */
const COARSE_MARGIN = 3;
const BYTE_MARGIN = 4;

function minCandidates(k: number): number {
  return k + Math.max(32, Math.ceil(k / 8));
}

function maxCandidates(k: number): number {
  return Math.max(1024, 2 * k);
}

function minSurvivors(k: number): number {
  return Math.max(1024, 16 * k);
}

function maxSurvivors(k: number): number {
  return Math.max(65_536, 64 * k);
}

/**
 * The sign-plane round runs only when it can leave fewer than 1 / SIGN_ROUND_SHARE of the matches
 * to the byte round; otherwise the byte round scores every match, in slot order (see the note).
 */
const SIGN_ROUND_SHARE = 8;

const HISTOGRAM_BUCKETS = 4096;

/**
 * Returns the photo ids to rank exactly for the top k under `filter`: all matching photos when
 * there are at most minCandidates(k) of them or when there is no codebook yet, else the ones kept
 * by the two rounds of [Note: Candidate count].
 */
export function selectCandidates(
  slots: VectorSlots,
  codebook: Codebook | null,
  query: Float32Array,
  k: number,
  filter: SlotFilter,
  scratch: Scratch,
): number[] {
  const matches = scratch.matches(slots.size);
  let count = findMatches(slots, filter, matches);
  const scale = slots.byteScale;
  if (codebook === null || scale === null || count <= minCandidates(k)) {
    return photoIdsOf(slots, matches, count);
  }

  const scores = scratch.scores(count);
  if (count > SIGN_ROUND_SHARE * minSurvivors(k)) {
    const tables = buildQueryTables(query, codebook);
    scanPool().scoreCoarse(slots.signs, slots.words, tables.coarse, matches, count, scores);
    const survivorWindow = [minSurvivors(k), maxSurvivors(k)] as const;
    count = keepBest(matches, scores, count, k, COARSE_MARGIN * tables.coarseNoise, survivorWindow);
  }

  const bytes = byteQuery(query, scale);
  slots.scoreBytes(bytes.weights, matches, count, scores);
  const candidateWindow = [minCandidates(k), maxCandidates(k)] as const;
  count = keepBest(matches, scores, count, k, BYTE_MARGIN * bytes.noise, candidateWindow);
  return photoIdsOf(slots, matches, count);
}

/**
 * Reusable buffers, so a search does not allocate per query; shared memory, so the scan pool's
 * workers can read the matches and write the scores ([Note: Parallel coarse scan]).
 */
export class Scratch {
  private matchBuffer = sharedInt32Array(0);
  private scoreBuffer = sharedInt32Array(0);

  matches(size: number): Int32Array {
    if (this.matchBuffer.length < size) this.matchBuffer = sharedInt32Array(Math.ceil(size * 1.25));
    return this.matchBuffer;
  }

  scores(size: number): Int32Array {
    if (this.scoreBuffer.length < size) this.scoreBuffer = sharedInt32Array(Math.ceil(size * 1.25));
    return this.scoreBuffer;
  }
}

/** Writes the slots that pass the filter, ascending, into `out`; returns how many. */
function findMatches(slots: VectorSlots, filter: SlotFilter, out: Int32Array): number {
  const { dirMask, slotMask, dateRange } = filter;
  const { dirIndices, takenAt, size } = slots;
  const excluded = excludedSlots(slots, filter.excludePhotoIds);
  const after = dateRange ? dateRange[0] : 0;
  const before = dateRange ? dateRange[1] : 0;
  let nextExcluded = 0;
  let count = 0;
  for (let slot = 0; slot < size; slot++) {
    if (slot === excluded[nextExcluded]) {
      nextExcluded++;
      continue;
    }
    if (dirMask !== null && dirMask[dirIndices[slot]!] !== 1) continue;
    if (slotMask !== null && slotMask[slot] !== 1) continue;
    if (dateRange !== null && !(takenAt[slot]! >= after && takenAt[slot]! < before)) continue;
    out[count++] = slot;
  }
  return count;
}

/** The excluded photos' slots, ascending and distinct, then `slots.size` (past every slot). */
function excludedSlots(slots: VectorSlots, photoIds: readonly number[]): number[] {
  const found = photoIds.flatMap((photoId) => slots.slot(photoId) ?? []);
  return [...[...new Set(found)].sort((a, b) => a - b), slots.size];
}

/**
 * Keeps, in place at the front of `matches` (and `scores`), the matches whose score is within
 * `margin` of the k-th best, at least window[0] and at most window[1] of them (to the histogram's
 * resolution; never fewer than k). Returns how many it kept.
 */
function keepBest(
  matches: Int32Array,
  scores: Int32Array,
  count: number,
  k: number,
  margin: number,
  window: readonly [number, number],
): number {
  if (count <= window[0]) return count;
  const histogram = new Histogram(scores, count);
  const kthBucket = histogram.bucketHolding(k);
  const marginBuckets = Math.ceil(margin / histogram.width);
  let threshold = Math.min(kthBucket - marginBuckets, histogram.bucketHolding(window[0]));
  threshold = Math.max(threshold, histogram.bucketHolding(window[1] + 1) + 1);
  threshold = Math.min(threshold, kthBucket);
  const lowest = histogram.lowestScoreIn(threshold);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    if (scores[i]! < lowest) continue;
    matches[kept] = matches[i]!;
    scores[kept] = scores[i]!;
    kept++;
  }
  return kept;
}

function photoIdsOf(slots: VectorSlots, matches: Int32Array, count: number): number[] {
  const photoIds = new Array<number>(count);
  for (let i = 0; i < count; i++) photoIds[i] = slots.photoIds[matches[i]!]!;
  return photoIds;
}

/**
 * Buckets of 2^shift consecutive scores from the lowest score up, at most HISTOGRAM_BUCKETS of
 * them, counted from the top. Integer shifts keep bucket() cheap and its edges exact.
 */
class Histogram {
  readonly width: number;
  private readonly min: number;
  private readonly counts = new Int32Array(HISTOGRAM_BUCKETS);

  constructor(scores: Int32Array, count: number) {
    let min = scores[0]!;
    let max = scores[0]!;
    for (let i = 1; i < count; i++) {
      if (scores[i]! < min) min = scores[i]!;
      if (scores[i]! > max) max = scores[i]!;
    }
    let shift = 0;
    while ((max - min) / 2 ** shift >= HISTOGRAM_BUCKETS) shift++;
    this.min = min;
    this.width = 2 ** shift;
    for (let i = 0; i < count; i++) this.counts[(scores[i]! - min) >>> shift]!++;
  }

  /** The lowest score that falls in `bucket` or above. */
  lowestScoreIn(bucket: number): number {
    return bucket <= 0 ? -Infinity : this.min + bucket * this.width;
  }

  /** The highest bucket that, with those above it, holds at least `rank` scores; -1 if none. */
  bucketHolding(rank: number): number {
    let total = 0;
    for (let bucket = HISTOGRAM_BUCKETS - 1; bucket >= 0; bucket--) {
      total += this.counts[bucket]!;
      if (total >= rank) return bucket;
    }
    return -1;
  }
}
