import { dot } from '../vector-math';
import type { ClusterTreeParams } from './cluster-math';

/** Unit-length vectors, row-major, with the photo each row belongs to. */
export interface VectorSet {
  photoIds: readonly number[];
  dim: number;
  data: Float32Array;
}

/**
 * [Note: Train on a sample] k-means runs on at most TOP_SAMPLE rows (CHILD_SAMPLE inside a top
 * cluster), spread evenly over the set; every row is then assigned to its nearest centroid by
 * cosine. Centroids from a few thousand rows are as good as from all of them for a few dozen
 * clusters, and the cost of training stops growing with the library: measured in
 * bench/clusters.bench.ts (docs/benchmarks.md). The seed is fixed, so the same library gives the
 * same clusters.
 *
 * [Note: Own k-means] The k-means is written here (cluster-math.ts: k-means++ seeding, spherical
 * Lloyd iterations, assignment), about 150 lines over flat Float32Arrays, rather than ml-kmeans:
 * - ml-kmeans 7 takes an array of number arrays and computes through ml-matrix: at 4,000 × 512-d
 *   and k = 40 its Lloyd iterations took 205 ms each against 125 ms for the flat loop here (same
 *   seeds, same machine, load 3.5), and its own 'kmeans++' seeding 16.5 s against 0.1 s;
 * - it runs in a worker whose program is source text ([Note: Self-contained cluster math]):
 *   ml-kmeans and ml-matrix would have to be loaded there from the app's asar archive by an ES
 *   module import, which the packaged app was never shown to do.
 * Spherical k-means (unit-length centroids, nearest by cosine) is the measure search uses; on
 * unit vectors it differs from ml-kmeans' Euclidean means only by the centroids' normalisation.
 */
export const CLUSTER_PARAMS: ClusterTreeParams = {
  topSample: 4000,
  childSample: 1000,
  maxIterations: 20,
  splitMin: 24,
  seed: 42,
};

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
