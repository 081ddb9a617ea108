import { kmeans } from 'ml-kmeans';
import { dot } from '../vector-math';

/** Unit-length vectors, row-major, with the photo each row belongs to. */
export interface VectorSet {
  photoIds: readonly number[];
  dim: number;
  data: Float32Array;
}

/** One cluster of a partition: its unit-length centroid and its members (row indices). */
export interface Cluster {
  centroid: Float32Array;
  rows: number[];
  /** Cosine similarity of each member to the centroid, in the order of `rows`. */
  similarities: number[];
}

/** Top clusters, each split again when large enough ("beach" inside "travel"). */
export interface ClusterTree {
  top: Cluster[];
  /** children[i] splits top[i]; empty when top[i] is too small to split. */
  children: Cluster[][];
}

/**
 * [Note: Cluster sizes] Level 1 has round(√(n/2)) clusters, clamped to [2, 40] (the rule of thumb
 * for k-means; 40 cards is about what a person scans). A top cluster of at least SPLIT_MIN photos
 * is split again into round(√(size/2)) clamped to [2, 10]: small clusters stay leaves.
 */
export function topLevelCount(photos: number): number {
  return Math.min(photos, clamp(Math.round(Math.sqrt(photos / 2)), 2, 40));
}

export const SPLIT_MIN = 24;

export function childCount(size: number): number {
  return size < SPLIT_MIN ? 0 : clamp(Math.round(Math.sqrt(size / 2)), 2, 10);
}

/**
 * [Note: Train on a sample] k-means (ml-kmeans' Lloyd iterations, Euclidean on unit vectors, i.e.
 * spherical k-means up to the centroid normalisation) runs on at most TOP_SAMPLE rows
 * (CHILD_SAMPLE inside a top cluster), spread evenly over the set; every row is then assigned to
 * its nearest centroid by cosine. Centroids from a few thousand rows are as good as from all of
 * them for a few dozen clusters, and the cost of training stops growing with the library:
 * measured in bench/clusters.bench.ts (docs/benchmarks.md). The seed is fixed, so the same
 * library gives the same clusters.
 *
 * [Note: Own k-means++ seeding] The seeding is k-means++ (D² sampling) written here, the centres
 * handed to ml-kmeans as its `initialization`: ml-kmeans 7's own 'kmeans++' took 16.5 s for 4,000
 * × 512-d rows and k = 40 on this machine (it tries several candidates per centre through
 * ml-matrix), these 30 lines 0.1 s, and its Lloyd iterations then 1.1–1.3 s. It also stops early
 * when fewer than k distinct rows exist (copies, bursts), which k-means++ needs.
 */
const TOP_SAMPLE = 4000;
const CHILD_SAMPLE = 1000;
const MAX_ITERATIONS = 20;
const SEED = 42;

export function buildClusterTree(
  set: VectorSet,
  onStep?: (done: number, total: number) => void,
): ClusterTree {
  const all = Array.from({ length: set.photoIds.length }, (_, row) => row);
  onStep?.(0, topLevelCount(all.length) + 1);
  const top = partition(set, all, topLevelCount(all.length), TOP_SAMPLE);
  const total = top.length + 1;
  onStep?.(1, total);
  const children = top.map((cluster, i) => {
    const k = childCount(cluster.rows.length);
    const split = k < 2 ? [] : partition(set, cluster.rows, k, CHILD_SAMPLE);
    onStep?.(i + 2, total);
    return split.length < 2 ? [] : split;
  });
  return { top, children };
}

/** k clusters of `rows` (fewer when some end up empty), biggest first. */
export function partition(
  set: VectorSet,
  rows: readonly number[],
  k: number,
  sampleSize: number,
): Cluster[] {
  if (rows.length === 0) return [];
  const sample = evenSample(rows, sampleSize).map((row) => Array.from(rowOf(set, row)));
  const seeds = kMeansPlusPlusSeeds(sample, k);
  const centroids =
    seeds.length < 2
      ? seeds
      : kmeans(sample, seeds.length, { initialization: seeds, maxIterations: MAX_ITERATIONS })
          .centroids;
  return assign(set, rows, centroids.map(unitVector));
}

/** D² sampling ([Note: Own k-means++ seeding]); fewer than k seeds when fewer distinct points. */
function kMeansPlusPlusSeeds(points: readonly number[][], k: number): number[][] {
  let state = SEED;
  const random = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const nearestSquared = new Float64Array(points.length).fill(Infinity);
  const seeds = [points[Math.floor(random() * points.length)]!];
  while (seeds.length < k) {
    const last = seeds[seeds.length - 1]!;
    let total = 0;
    points.forEach((point, i) => {
      nearestSquared[i] = Math.min(nearestSquared[i]!, squaredDistance(point, last));
      total += nearestSquared[i]!;
    });
    if (total === 0) break;
    let target = random() * total;
    let pick = 0;
    while (pick < points.length - 1 && (target -= nearestSquared[pick]!) > 0) pick++;
    seeds.push(points[pick]!);
  }
  return seeds;
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

/** Every row to its nearest centroid (highest cosine); empty clusters are dropped. */
export function assign(
  set: VectorSet,
  rows: readonly number[],
  centroids: readonly Float32Array[],
): Cluster[] {
  const clusters: Cluster[] = centroids.map((centroid) => ({
    centroid,
    rows: [],
    similarities: [],
  }));
  for (const row of rows) {
    const { index, similarity } = nearest(rowOf(set, row), centroids);
    clusters[index]!.rows.push(row);
    clusters[index]!.similarities.push(similarity);
  }
  return clusters
    .filter((cluster) => cluster.rows.length > 0)
    .sort((a, b) => b.rows.length - a.rows.length);
}

/** The centroid closest to `vector` by cosine (centroids are unit-length). */
export function nearest(
  vector: Float32Array,
  centroids: readonly Float32Array[],
): { index: number; similarity: number } {
  let index = 0;
  let similarity = -Infinity;
  for (let i = 0; i < centroids.length; i++) {
    const score = dot(vector, centroids[i]!);
    if (score > similarity) {
      similarity = score;
      index = i;
    }
  }
  return { index, similarity };
}

function rowOf(set: VectorSet, row: number): Float32Array {
  return set.data.subarray(row * set.dim, (row + 1) * set.dim);
}

function evenSample(rows: readonly number[], size: number): number[] {
  if (rows.length <= size) return [...rows];
  const step = rows.length / size;
  return Array.from({ length: size }, (_, i) => rows[Math.floor(i * step)]!);
}

function unitVector(values: readonly number[]): Float32Array {
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
  return Float32Array.from(values, (value) => value / norm);
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
