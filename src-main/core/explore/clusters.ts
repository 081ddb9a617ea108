import { kmeans } from 'ml-kmeans';

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
 * [Note: Train on a sample] k-means (ml-kmeans, k-means++ seeding, Euclidean on unit vectors,
 * i.e. spherical k-means up to the centroid normalisation) runs on at most TOP_SAMPLE rows
 * (CHILD_SAMPLE inside a top cluster), spread evenly over the set; every row is then assigned to
 * its nearest centroid by cosine. Centroids from a few thousand rows are as good as from all of
 * them for a few dozen clusters, and the cost of training stops growing with the library:
 * measured in bench/clusters.bench.ts (docs/benchmarks.md). The seed is fixed, so the same
 * library gives the same clusters.
 */
const TOP_SAMPLE = 4000;
const CHILD_SAMPLE = 1000;
const MAX_ITERATIONS = 40;
const SEED = 42;

export function buildClusterTree(
  set: VectorSet,
  onStep?: (done: number, total: number) => void,
): ClusterTree {
  const all = Array.from({ length: set.photoIds.length }, (_, row) => row);
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
  const clusters = Math.min(k, distinctCount(sample));
  const centroids =
    clusters < 2
      ? [meanOf(sample, set.dim)]
      : kmeans(sample, clusters, {
          initialization: 'kmeans++',
          seed: SEED,
          maxIterations: MAX_ITERATIONS,
        }).centroids;
  return assign(set, rows, centroids.map(unitVector));
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
  centroids.forEach((centroid, i) => {
    const score = dot(vector, centroid);
    if (score > similarity) {
      similarity = score;
      index = i;
    }
  });
  return { index, similarity };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function rowOf(set: VectorSet, row: number): Float32Array {
  return set.data.subarray(row * set.dim, (row + 1) * set.dim);
}

function evenSample(rows: readonly number[], size: number): number[] {
  if (rows.length <= size) return [...rows];
  const step = rows.length / size;
  return Array.from({ length: size }, (_, i) => rows[Math.floor(i * step)]!);
}

/** k-means++ needs k distinct points: copies and bursts can leave fewer. */
function distinctCount(points: readonly number[][]): number {
  return new Set(points.map((point) => point.join(','))).size;
}

function meanOf(points: readonly number[][], dim: number): number[] {
  const mean = new Array<number>(dim).fill(0);
  for (const point of points) point.forEach((value, i) => (mean[i]! += value));
  return mean;
}

function unitVector(values: readonly number[]): Float32Array {
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
  return Float32Array.from(values, (value) => value / norm);
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
