import type { MapCluster, MapProgress, SimilarityMap } from '../../shared/types';
import type { ClusterService, ClusterSource } from './cluster-service';
import { readVectors } from './cluster-service';
import type { ClusterStore } from './cluster-store';
import { layoutMap, Neighbours, type Candidates } from './map-layout';
import type { MapPoint, MapStore } from './map-store';
import { evenlySpread } from '../../shared/evenly-spread';

export interface MapRequest {
  signal?: AbortSignal;
  onProgress?: (progress: MapProgress) => void;
}

/**
 * [Note: Fresh map] Like the clusters ([Note: Fresh clusters]), the map is computed on demand:
 * the first read, or a read after the library changed by more than STALE_FRACTION since the
 * layout (photos added since plus photos removed since), lays out every photo again and stores
 * it ([Note: Stored map]). Any other read first places the photos indexed since: each at the
 * weighted mean of its most similar laid-out photos among up to JOIN_CANDIDATES of its own top
 * cluster (spread evenly over the cluster), stored so the next read does not place it again.
 * The clusters the map is coloured by are made fresh first (Core.clusters' own rule).
 */
export const STALE_FRACTION = 0.2;
const JOIN_CANDIDATES = 256;

export class MapService {
  constructor(
    private readonly deps: { map: MapStore; clusters: ClusterService; clusterStore: ClusterStore },
  ) {}

  async map(source: ClusterSource, request: MapRequest = {}): Promise<SimilarityMap> {
    const { signal, onProgress } = request;
    const photoIds = source.vectors.photoIds();
    if (photoIds.length === 0) return { photoIds: [], x: [], y: [], cluster: [], clusters: [] };
    await this.deps.clusters.clusters(source, {
      level: 1,
      photosPerCluster: 0,
      ...(signal ? { signal } : {}),
      onProgress: ({ done, total }) => onProgress?.({ phase: 'clusters', done, total }),
    });
    const top = this.topClusters(source.modelId);
    const current = new Set(photoIds);
    const placed = new Map(
      this.deps.map
        .points(source.modelId)
        .filter((point) => current.has(point.photoId))
        .map((point) => [point.photoId, point]),
    );
    const unplaced = photoIds.filter((photoId) => !placed.has(photoId));
    if (this.isStale(source.modelId, unplaced.length, placed.size)) {
      await this.compute(source, top.clusterOf, request);
    } else {
      this.join(source, top.clusterOf, placed, unplaced);
    }
    return this.read(source.modelId, top, current);
  }

  private isStale(modelId: string, unplaced: number, placed: number): boolean {
    const run = this.deps.map.run(modelId);
    if (!run) return true;
    const removed = run.photos + run.joined - placed;
    return unplaced + run.joined + removed > STALE_FRACTION * run.photos;
  }

  private async compute(
    source: ClusterSource,
    clusterOf: ReadonlyMap<number, number>,
    { signal, onProgress }: MapRequest,
  ): Promise<void> {
    const set = readVectors(source, (done, total) =>
      onProgress?.({ phase: 'reading', done, total }),
    );
    signal?.throwIfAborted();
    const groups = set.photoIds.map((photoId) => clusterOf.get(photoId) ?? -1);
    const positions = await layoutMap(set, groups, {
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    onProgress?.({ phase: 'saving', done: 0, total: 1 });
    this.deps.map.replace(source.modelId, set.photoIds, positions);
    onProgress?.({ phase: 'saving', done: 1, total: 1 });
  }

  /** Photos indexed since the layout are placed near their most similar laid-out photos. */
  private join(
    source: ClusterSource,
    clusterOf: ReadonlyMap<number, number>,
    placed: ReadonlyMap<number, MapPoint>,
    unplaced: readonly number[],
  ): void {
    if (unplaced.length === 0) return;
    const byCluster = new Map<number, MapPoint[]>();
    for (const point of placed.values()) {
      const cluster = clusterOf.get(point.photoId) ?? -1;
      const list = byCluster.get(cluster);
      if (list) list.push(point);
      else byCluster.set(cluster, [point]);
    }
    const candidatesOf = new Map<number, Candidates>();
    const candidates = (cluster: number): Candidates => {
      let found = candidatesOf.get(cluster);
      if (!found) {
        const points = evenlySpread(
          byCluster.get(cluster) ?? [...placed.values()],
          JOIN_CANDIDATES,
        );
        const withVectors = points.flatMap((point) => {
          const vector = source.vectors.get(point.photoId);
          return vector ? [{ point, vector }] : [];
        });
        const vectors = new Float32Array(withVectors.length * source.dim);
        withVectors.forEach(({ vector }, i) => vectors.set(vector, i * source.dim));
        found = { vectors, positions: withVectors.map(({ point }) => [point.x, point.y]) };
        candidatesOf.set(cluster, found);
      }
      return found;
    };
    const neighbours = new Neighbours();
    const joined = unplaced.flatMap((photoId): MapPoint[] => {
      const vector = source.vectors.get(photoId);
      if (!vector) return [];
      const [x, y] = neighbours.place(vector, candidates(clusterOf.get(photoId) ?? -1));
      return [{ photoId, x, y }];
    });
    this.deps.map.join(source.modelId, joined);
  }

  /** Top clusters biggest first (as Core.clusters lists them), and each photo's index among them. */
  private topClusters(modelId: string): { names: string[]; clusterOf: Map<number, number> } {
    const members = this.deps.clusterStore.membersByCluster(modelId);
    const top = this.deps.clusterStore
      .clusters(modelId)
      .filter((cluster) => cluster.parentId === null)
      .map((cluster) => ({ name: cluster.name, members: members.get(cluster.id) ?? [] }))
      .filter((cluster) => cluster.members.length > 0)
      .sort((a, b) => b.members.length - a.members.length);
    const clusterOf = new Map<number, number>();
    top.forEach((cluster, index) => {
      for (const { photoId } of cluster.members) clusterOf.set(photoId, index);
    });
    return { names: top.map((cluster) => cluster.name), clusterOf };
  }

  private read(
    modelId: string,
    { names, clusterOf }: { names: string[]; clusterOf: ReadonlyMap<number, number> },
    current: ReadonlySet<number>,
  ): SimilarityMap {
    // Only photos the model has a vector for: a photo whose vector is gone leaves the map.
    const points = this.deps.map.points(modelId).filter((point) => current.has(point.photoId));
    const cluster = points.map((point) => clusterOf.get(point.photoId) ?? -1);
    const xs = names.map((): number[] => []);
    const ys = names.map((): number[] => []);
    points.forEach((point, i) => {
      if (cluster[i]! < 0) return;
      xs[cluster[i]!]!.push(point.x);
      ys[cluster[i]!]!.push(point.y);
    });
    const clusters: MapCluster[] = names.map((name, i) => ({
      name,
      size: xs[i]!.length,
      x: median(xs[i]!),
      y: median(ys[i]!),
    }));
    return {
      photoIds: points.map((point) => point.photoId),
      x: points.map((point) => round(point.x)),
      y: points.map((point) => round(point.y)),
      cluster,
      clusters,
    };
  }
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)]!);
}

/** Five decimals: 1/100,000 of the map's width is far below a pixel, and keeps the payload short. */
function round(value: number): number {
  return Math.round(value * 100_000) / 100_000;
}
