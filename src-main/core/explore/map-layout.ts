import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { UMAP } from 'umap-js';
import { seededRandom } from '../seeded-random';
import { dotAt } from './cluster-math';
import type { VectorSet } from './clusters';

export interface MapLayoutProgress {
  phase: 'fitting' | 'placing';
  done: number;
  total: number;
}

export interface MapLayoutRequest {
  signal?: AbortSignal;
  onProgress?: (progress: MapLayoutProgress) => void;
}

/**
 * [Note: Map on a sample] UMAP (umap-js) is fitted on at most FIT_SAMPLE photos drawn with a
 * fixed seed; every other photo is placed at the weighted mean of the map positions of its
 * PLACE_NEIGHBOURS most similar sample photos (weight 1 / (1 − cosine + 0.001), so a copy lands on
 * its original), searched among the sample photos of its own top cluster (an inverted-file search:
 * ~1/40 of the sample per photo) or the whole sample when that holds too few. umap-js' own
 * `transform` optimises each new point against the fitted graph: 2.3 ms a point (200 CLIP-like
 * 512-d points against a 3,000-point fit, load ≈ 13 on 2 cores), about 230 s for 100,000 photos;
 * this placement costs n × sample/clusters × dim multiply-adds, 0.1–0.3 ms a point at the same
 * load. Layout times at 100,000 photos: bench/map.bench.ts (docs/benchmarks.md).
 *
 * [Note: Map off the UI thread] The layout runs on the core's thread (the core host, never the
 * renderer), in slices that yield to the event loop between UMAP epochs and every PLACE_SLICE
 * photos, so other commands are served meanwhile and the signal cancels it between slices. A
 * worker_threads Worker would also free the core's thread, but the core host is bundled by
 * electron-vite and umap-js would have to be loadable from a worker in both tsx and the packaged
 * app; slices were what the time allowed.
 */
export const FIT_SAMPLE = 3000;
const PLACE_NEIGHBOURS = 6;
const PLACE_SLICE = 2000;
const EPOCH_SLICE = 10;
const SEED = 7;

/** x, y of every row of `set`, interleaved, within [-1, 1]. `groups[row]`: its top cluster. */
export async function layoutMap(
  set: VectorSet,
  groups: readonly number[],
  { signal, onProgress }: MapLayoutRequest = {},
): Promise<Float32Array> {
  const count = set.photoIds.length;
  const positions = new Float32Array(count * 2);
  if (count < 3) {
    for (let row = 0; row < count; row++) positions[row * 2] = count === 1 ? 0 : row - 0.5;
    return positions;
  }
  const random = seededRandom(SEED);
  const sample = sampleRows(count, FIT_SAMPLE, random);
  const embedding = await fit(
    sample.map((row) => Array.from(rowOf(set, row))),
    random,
    signal,
    onProgress,
  );
  normalise(embedding);
  const sampleIndex = new Int32Array(count).fill(-1);
  sample.forEach((row, i) => {
    sampleIndex[row] = i;
    positions[row * 2] = embedding[i]![0]!;
    positions[row * 2 + 1] = embedding[i]![1]!;
  });

  const sampleByGroup = new Map<number, number[]>();
  sample.forEach((row, i) => {
    const list = sampleByGroup.get(groups[row]!);
    if (list) list.push(i);
    else sampleByGroup.set(groups[row]!, [i]);
  });
  const candidatesOf = (members: readonly number[]): Candidates => ({
    vectors: rowsOf(
      set,
      members.map((i) => sample[i]!),
    ),
    positions: members.map((i) => embedding[i]!),
  });
  const everySample = candidatesOf(sample.map((_, i) => i));
  const byGroup = new Map(
    [...sampleByGroup].map(([group, members]) => [
      group,
      members.length >= PLACE_NEIGHBOURS ? candidatesOf(members) : everySample,
    ]),
  );
  const neighbours = new Neighbours();
  onProgress?.({ phase: 'placing', done: 0, total: count });
  for (let row = 0; row < count; row++) {
    if (row % PLACE_SLICE === 0 && row > 0) {
      onProgress?.({ phase: 'placing', done: row, total: count });
      await yieldToEventLoop();
      signal?.throwIfAborted();
    }
    if (sampleIndex[row]! >= 0) continue;
    const [x, y] = neighbours.place(rowOf(set, row), byGroup.get(groups[row]!) ?? everySample);
    positions[row * 2] = x;
    positions[row * 2 + 1] = y;
  }
  onProgress?.({ phase: 'placing', done: count, total: count });
  return positions;
}

async function fit(
  vectors: number[][],
  random: () => number,
  signal: AbortSignal | undefined,
  onProgress: MapLayoutRequest['onProgress'],
): Promise<number[][]> {
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(15, vectors.length - 1),
    minDist: 0.1,
    random,
  });
  // The nearest-neighbour graph comes first; its length is unknown until it is built.
  onProgress?.({ phase: 'fitting', done: 0, total: 0 });
  const epochs = umap.initializeFit(vectors);
  onProgress?.({ phase: 'fitting', done: 0, total: epochs });
  for (let epoch = 0; epoch < epochs; epoch++) {
    umap.step();
    if ((epoch + 1) % EPOCH_SLICE === 0) {
      onProgress?.({ phase: 'fitting', done: epoch + 1, total: epochs });
      await yieldToEventLoop();
      signal?.throwIfAborted();
    }
  }
  onProgress?.({ phase: 'fitting', done: epochs, total: epochs });
  return umap.getEmbedding();
}

/** The `size` rows of a seeded partial Fisher–Yates shuffle (all rows when there are fewer). */
function sampleRows(count: number, size: number, random: () => number): number[] {
  const rows = Array.from({ length: count }, (_, row) => row);
  const taken = Math.min(size, count);
  for (let i = 0; i < taken; i++) {
    const j = i + Math.floor(random() * (count - i));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows.slice(0, taken).sort((a, b) => a - b);
}

/** Centred on the bounding box, scaled so the longer side spans [-1, 1]. */
function normalise(points: number[][]): void {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x!);
    maxX = Math.max(maxX, x!);
    minY = Math.min(minY, y!);
    maxY = Math.max(maxY, y!);
  }
  const half = Math.max(maxX - minX, maxY - minY) / 2 || 1;
  const centreX = (minX + maxX) / 2;
  const centreY = (minY + maxY) / 2;
  for (const point of points) {
    point[0] = (point[0]! - centreX) / half;
    point[1] = (point[1]! - centreY) / half;
  }
}

/** Photos a vector may be placed near: their vectors, row-major, and their map positions. */
export interface Candidates {
  vectors: Float32Array;
  positions: readonly (readonly number[])[];
}

/** The most similar candidates of a vector, and the position their weighted mean gives it. */
export class Neighbours {
  private readonly indices = new Int32Array(PLACE_NEIGHBOURS);
  private readonly similarities = new Float64Array(PLACE_NEIGHBOURS);

  /** [Note: Map on a sample]: weighted mean of the best candidates' positions; (0, 0) if none. */
  place(vector: Float32Array, candidates: Candidates): [number, number] {
    const found = this.find(vector, candidates.vectors);
    let x = 0;
    let y = 0;
    let total = 0;
    for (let j = 0; j < found; j++) {
      const weight = 1 / (1 - this.similarities[j]! + 0.001);
      const position = candidates.positions[this.indices[j]!]!;
      x += weight * position[0]!;
      y += weight * position[1]!;
      total += weight;
    }
    return total > 0 ? [x / total, y / total] : [0, 0];
  }

  /** Candidates are rows of one contiguous matrix: no view per row in the inner loop. */
  private find(vector: Float32Array, matrix: Float32Array): number {
    const { indices, similarities } = this;
    const dim = vector.length;
    const count = dim === 0 ? 0 : matrix.length / dim;
    let found = 0;
    for (let candidate = 0; candidate < count; candidate++) {
      const similarity = dotAt(vector, 0, matrix, candidate * dim, dim);
      if (found === indices.length && similarity <= similarities[found - 1]!) continue;
      let slot = Math.min(found, indices.length - 1);
      while (slot > 0 && similarities[slot - 1]! < similarity) {
        indices[slot] = indices[slot - 1]!;
        similarities[slot] = similarities[slot - 1]!;
        slot--;
      }
      indices[slot] = candidate;
      similarities[slot] = similarity;
      found = Math.min(found + 1, indices.length);
    }
    return found;
  }
}

/** The given rows of `set`, copied into one row-major matrix. */
function rowsOf(set: VectorSet, rows: readonly number[]): Float32Array {
  const matrix = new Float32Array(rows.length * set.dim);
  rows.forEach((row, i) => matrix.set(rowOf(set, row), i * set.dim));
  return matrix;
}

function rowOf(set: VectorSet, row: number): Float32Array {
  return set.data.subarray(row * set.dim, (row + 1) * set.dim);
}
