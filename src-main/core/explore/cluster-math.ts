/**
 * The CPU-bound part of the clusters: two-level spherical k-means over one row-major Float32Array
 * ([Note: Cluster sizes], [Note: Train on a sample], [Note: Own k-means]). It runs in the cluster
 * worker ([Note: Clusters off the host's thread] in cluster-worker.ts) and, when no worker can
 * start, on the calling thread.
 *
 * [Note: Self-contained cluster math] The worker's program is this file's functions as source text
 * (CLUSTER_MATH_SOURCE), so nothing has to be bundled or resolved for it under tsx, vitest and the
 * built app. Every function here is therefore a plain function declaration that refers only to its
 * arguments, to the other functions listed in CLUSTER_MATH_SOURCE and to JavaScript's globals: no
 * imports, no module constants, no closures or arrow functions (a bundler or test transform may
 * rewrite an imported name or wrap a named arrow function in a helper the worker lacks).
 * test/core/explore/cluster-worker.test.ts runs it in a worker under vitest's transform.
 */

/** Rows are unit vectors, row-major, `dim` floats each. */
export interface ClusterTreeParams {
  /** Rows the top level's k-means is trained on, spread evenly over the set. */
  topSample: number;
  /** Rows each split's k-means is trained on, spread evenly over its top cluster. */
  childSample: number;
  maxIterations: number;
  /** A top cluster with fewer photos stays a leaf ([Note: Cluster sizes]). */
  splitMin: number;
  seed: number;
}

/** The partition of every row, in two levels, as flat arrays (what crosses between threads). */
export interface FlatClusterTree {
  /** Row i's top cluster: an index into the top centroids, biggest cluster first. */
  top: Int32Array;
  /** Row i's sub-cluster within its top cluster (biggest first), -1 when that one is not split. */
  child: Int32Array;
  /** Row i's cosine to its top cluster's centroid. */
  similarity: Float32Array;
  /** topCount × dim, unit length. */
  topCentroids: Float32Array;
  /** Sub-clusters of each top cluster (0 when not split). */
  childCounts: Int32Array;
  /** Every split's centroids, top cluster after top cluster, unit length. */
  childCentroids: Float32Array;
}

/** One level's partition of some rows: labels in the order of those rows. */
export interface FlatPartition {
  /** Cluster of each given row, biggest cluster first; no cluster is empty. */
  labels: Int32Array;
  similarity: Float32Array;
  /** count × dim, unit length. */
  centroids: Float32Array;
  count: number;
}

/**
 * Top clusters of every row, and each big one split again. `report(done, total)` counts the
 * partitions made: the top level, then one per top cluster.
 */
export function clusterTree(
  data: Float32Array,
  dim: number,
  params: ClusterTreeParams,
  report: ((done: number, total: number) => void) | null,
): FlatClusterTree {
  const rowCount = dim === 0 ? 0 : data.length / dim;
  const rows = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) rows[row] = row;
  if (report) report(0, topLevelCount(rowCount) + 1);
  const top = partitionRows(
    data,
    dim,
    rows,
    topLevelCount(rowCount),
    params.topSample,
    params.maxIterations,
    params.seed,
  );
  if (report) report(1, top.count + 1);

  // Members of each top cluster, in row order (a counting sort of the labels).
  const starts = new Int32Array(top.count + 1);
  for (let row = 0; row < rowCount; row++) starts[top.labels[row]! + 1]!++;
  for (let cluster = 0; cluster < top.count; cluster++) starts[cluster + 1]! += starts[cluster]!;
  const byCluster = new Int32Array(rowCount);
  const filled = starts.slice(0, top.count);
  for (let row = 0; row < rowCount; row++) byCluster[filled[top.labels[row]!]!++] = row;

  const child = new Int32Array(rowCount).fill(-1);
  const childCounts = new Int32Array(top.count);
  const splits: Float32Array[] = [];
  let childFloats = 0;
  for (let cluster = 0; cluster < top.count; cluster++) {
    const members = byCluster.subarray(starts[cluster]!, starts[cluster + 1]!);
    const k = childCount(members.length, params.splitMin);
    if (k >= 2) {
      const split = partitionRows(
        data,
        dim,
        members,
        k,
        params.childSample,
        params.maxIterations,
        params.seed,
      );
      if (split.count >= 2) {
        for (let i = 0; i < members.length; i++) child[members[i]!] = split.labels[i]!;
        childCounts[cluster] = split.count;
        splits.push(split.centroids);
        childFloats += split.centroids.length;
      }
    }
    if (report) report(cluster + 2, top.count + 1);
  }
  const childCentroids = new Float32Array(childFloats);
  let offset = 0;
  for (const centroids of splits) {
    childCentroids.set(centroids, offset);
    offset += centroids.length;
  }
  return {
    top: top.labels,
    child,
    similarity: top.similarity,
    topCentroids: top.centroids,
    childCounts,
    childCentroids,
  };
}

/**
 * [Note: Cluster sizes] Level 1 has round(√(n/2)) clusters, clamped to [2, 40] (the rule of thumb
 * for k-means; 40 cards is about what a person scans). A top cluster of at least `splitMin` photos
 * is split again into round(√(size/2)) clamped to [2, 10]: small clusters stay leaves.
 */
export function topLevelCount(photos: number): number {
  return Math.min(photos, Math.max(2, Math.min(40, Math.round(Math.sqrt(photos / 2)))));
}

export function childCount(size: number, splitMin: number): number {
  return size < splitMin ? 0 : Math.max(2, Math.min(10, Math.round(Math.sqrt(size / 2))));
}

/**
 * k clusters of `rows` (fewer when fewer distinct rows exist or some end up empty): k-means
 * trained on at most `sampleSize` of them, then every row assigned to its nearest centroid.
 */
export function partitionRows(
  data: Float32Array,
  dim: number,
  rows: Int32Array,
  k: number,
  sampleSize: number,
  maxIterations: number,
  seed: number,
): FlatPartition {
  const sample = sampleOf(data, dim, rows, sampleSize);
  const seeds = kMeansPlusPlusSeeds(sample, dim, k, seed);
  const centroids =
    seeds.length / dim >= 2 ? sphericalKMeans(sample, dim, seeds, maxIterations) : seeds;
  normaliseRows(centroids, dim);
  return assignRows(data, dim, rows, centroids);
}

/** The rows spread evenly over `rows` (all of them when fewer), copied into one matrix. */
export function sampleOf(
  data: Float32Array,
  dim: number,
  rows: Int32Array,
  size: number,
): Float32Array {
  const taken = Math.min(size, rows.length);
  const step = rows.length / taken;
  const sample = new Float32Array(taken * dim);
  for (let i = 0; i < taken; i++) {
    const row = rows[rows.length <= size ? i : Math.floor(i * step)]!;
    sample.set(data.subarray(row * dim, (row + 1) * dim), i * dim);
  }
  return sample;
}

/**
 * D² sampling ([Note: Own k-means]) with a fixed seed, so the same library gives the same
 * clusters; fewer than k seeds when fewer distinct points exist (copies, bursts).
 */
export function kMeansPlusPlusSeeds(
  points: Float32Array,
  dim: number,
  k: number,
  seed: number,
): Float32Array {
  const count = points.length / dim;
  if (count === 0) return new Float32Array(0);
  let state = seed;
  state = (state * 1664525 + 1013904223) >>> 0;
  const picks = [Math.floor((state / 2 ** 32) * count)];
  const nearestSquared = new Float64Array(count).fill(Infinity);
  while (picks.length < k) {
    const last = picks[picks.length - 1]! * dim;
    let total = 0;
    for (let i = 0; i < count; i++) {
      // |a − b|² = 2 − 2 a·b for unit vectors.
      const squared = Math.max(0, 2 - 2 * dotAt(points, i * dim, points, last, dim));
      if (squared < nearestSquared[i]!) nearestSquared[i] = squared;
      total += nearestSquared[i]!;
    }
    if (total === 0) break;
    state = (state * 1664525 + 1013904223) >>> 0;
    let target = (state / 2 ** 32) * total;
    let pick = 0;
    while (pick < count - 1 && (target -= nearestSquared[pick]!) > 0) pick++;
    picks.push(pick);
  }
  const seeds = new Float32Array(picks.length * dim);
  for (let i = 0; i < picks.length; i++) {
    seeds.set(points.subarray(picks[i]! * dim, (picks[i]! + 1) * dim), i * dim);
  }
  return seeds;
}

/**
 * Lloyd's iterations with unit-length centroids (spherical k-means: cosine, the measure search
 * uses), until no point changes cluster or after `maxIterations`. A cluster left empty keeps its
 * centroid. Returns new centroids; `seeds` is left as it was.
 */
export function sphericalKMeans(
  points: Float32Array,
  dim: number,
  seeds: Float32Array,
  maxIterations: number,
): Float32Array {
  const count = points.length / dim;
  const k = seeds.length / dim;
  const centroids = seeds.slice();
  normaliseRows(centroids, dim);
  const labels = new Int32Array(count).fill(-1);
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    for (let i = 0; i < count; i++) {
      const best = nearestCentroid(points, i * dim, centroids, k, dim);
      if (best !== labels[i]) {
        labels[i] = best;
        changed++;
      }
    }
    if (changed === 0) break;
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < count; i++) {
      const base = labels[i]! * dim;
      const from = i * dim;
      for (let d = 0; d < dim; d++) sums[base + d]! += points[from + d]!;
      sizes[labels[i]!]!++;
    }
    for (let cluster = 0; cluster < k; cluster++) {
      if (sizes[cluster] === 0) continue;
      const base = cluster * dim;
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += sums[base + d]! * sums[base + d]!;
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < dim; d++) centroids[base + d] = sums[base + d]! / norm;
    }
  }
  return centroids;
}

/**
 * Every row to its nearest centroid (highest cosine); empty clusters dropped, the rest renumbered
 * biggest first (ties in centroid order).
 */
export function assignRows(
  data: Float32Array,
  dim: number,
  rows: Int32Array,
  centroids: Float32Array,
): FlatPartition {
  const k = centroids.length / dim;
  const labels = new Int32Array(rows.length);
  const similarity = new Float32Array(rows.length);
  const sizes = new Int32Array(k);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i]! * dim;
    const best = nearestCentroid(data, base, centroids, k, dim);
    labels[i] = best;
    similarity[i] = dotAt(data, base, centroids, best * dim, dim);
    sizes[best]!++;
  }
  const order: number[] = [];
  for (let cluster = 0; cluster < k; cluster++) if (sizes[cluster]! > 0) order.push(cluster);
  order.sort(function bySize(a, b) {
    return sizes[b]! - sizes[a]! || a - b;
  });
  const renumbered = new Int32Array(k);
  const kept = new Float32Array(order.length * dim);
  for (let i = 0; i < order.length; i++) {
    renumbered[order[i]!] = i;
    kept.set(centroids.subarray(order[i]! * dim, (order[i]! + 1) * dim), i * dim);
  }
  for (let i = 0; i < labels.length; i++) labels[i] = renumbered[labels[i]!]!;
  return { labels, similarity, centroids: kept, count: order.length };
}

/** The centroid (of k, row-major) with the highest dot product with the row at `base`. */
export function nearestCentroid(
  data: Float32Array,
  base: number,
  centroids: Float32Array,
  k: number,
  dim: number,
): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let cluster = 0; cluster < k; cluster++) {
    const score = dotAt(data, base, centroids, cluster * dim, dim);
    if (score > bestScore) {
      bestScore = score;
      best = cluster;
    }
  }
  return best;
}

/**
 * a[aBase ..] · b[bBase ..] over dim floats, four products at a time: 1.5× faster than the plain
 * loop in V8 (75 × 512-d rows: 64–93 µs against 109–140 µs a photo, load ≈ 13). The map's
 * neighbour search uses it too.
 */
export function dotAt(
  a: Float32Array,
  aBase: number,
  b: Float32Array,
  bBase: number,
  dim: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < dim; d += 4) {
    s0 += a[aBase + d]! * b[bBase + d]!;
    s1 += a[aBase + d + 1]! * b[bBase + d + 1]!;
    s2 += a[aBase + d + 2]! * b[bBase + d + 2]!;
    s3 += a[aBase + d + 3]! * b[bBase + d + 3]!;
  }
  for (; d < dim; d++) s0 += a[aBase + d]! * b[bBase + d]!;
  return s0 + s1 + s2 + s3;
}

/** Scales each row to unit length (a zero row stays zero). */
export function normaliseRows(matrix: Float32Array, dim: number): void {
  for (let base = 0; base < matrix.length; base += dim) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += matrix[base + d]! * matrix[base + d]!;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) matrix[base + d] = matrix[base + d]! / norm;
  }
}

/** The functions above as one program's source text, for the cluster worker. */
export const CLUSTER_MATH_SOURCE = [
  clusterTree,
  topLevelCount,
  childCount,
  partitionRows,
  sampleOf,
  kMeansPlusPlusSeeds,
  sphericalKMeans,
  assignRows,
  nearestCentroid,
  dotAt,
  normaliseRows,
]
  .map((fn) => fn.toString())
  .join('\n');
