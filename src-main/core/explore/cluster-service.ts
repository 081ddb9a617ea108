import type { ClusterNode, ClusterOptions, ClusterProgress } from '../../shared/types';
import type { Embedder } from '../inference/embedder';
import type { LibraryStore } from '../store/library-store';
import type { VectorIndex } from '../vectors/vector-index';
import { nameSiblings, type SiblingCluster } from './cluster-names';
import type { ClusterStore, NewCluster, StoredCluster } from './cluster-store';
import { computeClusterTree } from './cluster-worker';
import type { FlatClusterTree } from './cluster-math';
import { CLUSTER_PARAMS, nearest, type VectorSet } from './clusters';
import { vectorTables } from '../vectors/tables';
import { termVectorsFor, type Vocabulary } from './vocabulary';

/** The model clusters are made with: its vectors, and its text tower for names (if it has one). */
export interface ClusterSource {
  modelId: string;
  dim: number;
  vectors: VectorIndex;
  /** Null for an image-only model: clusters are then named by folder and years. */
  textTower: Embedder | null;
}

export interface ClusterRequest extends ClusterOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ClusterProgress) => void;
}

/**
 * [Note: Fresh clusters] Clusters are computed on demand: the first read, or a read after the
 * library changed by more than STALE_FRACTION since the last computation (photos added since plus
 * photos removed since), computes them from scratch and stores them ([Note: Stored clusters]).
 * Any other read first lets photos indexed since join the stored clusters: each goes to the
 * nearest top centroid, then the nearest of that cluster's children, which costs one dot product
 * per centroid (1,000 new photos in a few ms: bench/clusters.bench.ts). Names stay as computed
 * until the next full computation.
 */
export const STALE_FRACTION = 0.2;

export class ClusterService {
  constructor(
    private readonly deps: {
      library: LibraryStore;
      clusters: ClusterStore;
      vocabulary: () => Vocabulary;
    },
  ) {}

  async clusters(source: ClusterSource, request: ClusterRequest = {}): Promise<ClusterNode[]> {
    const photoIds = source.vectors.photoIds();
    if (photoIds.length === 0) return [];
    const unassigned = this.deps.clusters.unassigned(source.modelId, photoIds);
    if (this.isStale(source.modelId, unassigned.length)) {
      await this.compute(source, request);
    } else {
      this.join(source, unassigned);
    }
    return this.read(source.modelId, request);
  }

  private isStale(modelId: string, unassigned: number): boolean {
    const run = this.deps.clusters.run(modelId);
    if (!run) return true;
    const removed = run.photos + run.joined - this.deps.clusters.memberCount(modelId);
    return unassigned + run.joined + removed > STALE_FRACTION * run.photos;
  }

  private async compute(source: ClusterSource, request: ClusterRequest): Promise<void> {
    const { signal, onProgress } = request;
    const databasePath = this.deps.clusters.databaseFile();
    const { photoIds, tree } = await computeClusterTree(
      {
        dim: source.dim,
        database: databasePath ? { path: databasePath, ...vectorRowsQuery(source.modelId) } : null,
        readHere: () =>
          readVectors(source, (done, total) => onProgress?.({ phase: 'reading', done, total })),
      },
      CLUSTER_PARAMS,
      { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) },
    );
    signal?.throwIfAborted();
    const groups = groupsOf(tree, source.dim);
    const names = await this.names(source, photoIds, groups, request);
    signal?.throwIfAborted();
    onProgress?.({ phase: 'saving', done: 0, total: 1 });
    const clusters: NewCluster[] = groups.map((top, i) => ({
      name: names.top[i]!,
      centroid: top.centroid,
      children: top.children.map((child, j) => ({
        name: names.children[i]![j]!,
        centroid: child.centroid,
      })),
    }));
    this.deps.clusters.replace(source.modelId, clusters, { photoIds, ...tree });
    onProgress?.({ phase: 'saving', done: 1, total: 1 });
  }

  private async names(
    source: ClusterSource,
    photoIds: Float64Array,
    groups: readonly Group[],
    { signal, onProgress }: ClusterRequest,
  ): Promise<{ top: string[]; children: string[][] }> {
    const vocabulary = source.textTower
      ? await termVectorsFor(source.textTower, this.deps.clusters, this.deps.vocabulary(), {
          ...(signal ? { signal } : {}),
          onProgress: (done, total) => onProgress?.({ phase: 'naming', done, total }),
        })
      : null;
    if (!vocabulary) onProgress?.({ phase: 'naming', done: 0, total: 1 });
    // Read once, and only when a cluster is named by its members.
    let photos: ReturnType<LibraryStore['photos']> | undefined;
    const photoOf = (row: number) =>
      (photos ??= this.deps.library.photos([...photoIds])).get(photoIds[row]!);
    const sibling = (cluster: { centroid: Float32Array; rows: number[] }): SiblingCluster => ({
      centroid: cluster.centroid,
      members: () =>
        cluster.rows.flatMap((row) => {
          const photo = photoOf(row);
          return photo
            ? [{ dirPath: photo.dirPath, takenAt: photo.takenAt, camera: photo.camera }]
            : [];
        }),
    });
    const topNames = nameSiblings(groups.map(sibling), vocabulary);
    return {
      top: topNames,
      children: groups.map((top, i) =>
        nameSiblings(top.children.map(sibling), vocabulary, new Set([topNames[i]!])),
      ),
    };
  }

  /** Photos indexed since the computation join the nearest stored clusters. */
  private join(source: ClusterSource, photoIds: readonly number[]): void {
    if (photoIds.length === 0) return;
    const stored = this.deps.clusters.clusters(source.modelId);
    const top = stored.filter((cluster) => cluster.parentId === null);
    const childrenOf = new Map(
      top.map((cluster) => [cluster.id, stored.filter((child) => child.parentId === cluster.id)]),
    );
    const centroids = (clusters: readonly StoredCluster[]) =>
      clusters.map((cluster) => cluster.centroid);
    const joining = photoIds.flatMap((photoId) => {
      const vector = source.vectors.get(photoId);
      if (!vector) return [];
      const parent = nearest(vector, centroids(top));
      const topCluster = top[parent.index]!;
      const children = childrenOf.get(topCluster.id) ?? [];
      const child =
        children.length > 0 ? children[nearest(vector, centroids(children)).index]! : null;
      return [
        {
          photoId,
          topId: topCluster.id,
          childId: child?.id ?? null,
          similarity: parent.similarity,
        },
      ];
    });
    this.deps.clusters.join(source.modelId, joining);
  }

  private read(modelId: string, { level = 2, photosPerCluster }: ClusterOptions): ClusterNode[] {
    const stored = this.deps.clusters.clusters(modelId);
    const members = this.deps.clusters.membersByCluster(modelId);
    const shown = (cluster: StoredCluster) => {
      const ids = members.get(cluster.id) ?? [];
      return photosPerCluster === undefined ? ids : ids.slice(0, photosPerCluster);
    };
    const photos = this.deps.library.photos([
      ...new Set(stored.flatMap((cluster) => shown(cluster).map((member) => member.photoId))),
    ]);
    const node = (cluster: StoredCluster, children: ClusterNode[]): ClusterNode => ({
      name: cluster.name,
      size: members.get(cluster.id)?.length ?? 0,
      photos: shown(cluster).flatMap(({ photoId, similarity }) => {
        const photo = photos.get(photoId);
        if (!photo) return [];
        const { path, dirPath: folder, width, height, takenAt, camera } = photo;
        return [{ photoId, score: similarity, path, folder, width, height, takenAt, camera }];
      }),
      children: children.filter((child) => child.size > 0),
    });
    return stored
      .filter((cluster) => cluster.parentId === null)
      .map((top) =>
        node(
          top,
          level < 2
            ? []
            : stored.filter((child) => child.parentId === top.id).map((child) => node(child, [])),
        ),
      )
      .filter((cluster) => cluster.size > 0)
      .sort((a, b) => b.size - a.size);
  }
}

/** The model's vectors as one row-major matrix. */
export function readVectors(
  source: ClusterSource,
  onProgress: (done: number, total: number) => void,
): VectorSet {
  const total = source.vectors.count();
  const data = new Float32Array(total * source.dim);
  const photoIds: number[] = [];
  onProgress(0, total);
  for (const [photoId, vector] of source.vectors.entries()) {
    if (photoIds.length === total) break;
    data.set(vector, photoIds.length * source.dim);
    photoIds.push(photoId);
    if (photoIds.length % 10_000 === 0) onProgress(photoIds.length, total);
  }
  onProgress(photoIds.length, total);
  return { photoIds, dim: source.dim, data: data.subarray(0, photoIds.length * source.dim) };
}

/**
 * The rows VectorIndex.entries() reads (photo id, embedding of every photo with a vector), for the
 * cluster worker's own connection ([Note: Clusters off the host's thread]).
 */
function vectorRowsQuery(modelId: string): { rowsSql: string; countSql: string } {
  const { items, embeddings } = vectorTables(modelId);
  return {
    rowsSql: `SELECT photo_id, embedding FROM ${embeddings} JOIN ${items} USING (photo_id)`,
    countSql: `SELECT count(*) FROM ${items}`,
  };
}

/** A top cluster of the tree: its centroid, its rows and its sub-clusters'. */
interface Group {
  centroid: Float32Array;
  rows: number[];
  children: { centroid: Float32Array; rows: number[] }[];
}

function groupsOf(tree: FlatClusterTree, dim: number): Group[] {
  const row = (matrix: Float32Array, i: number) => matrix.subarray(i * dim, (i + 1) * dim);
  let childBase = 0;
  const groups = Array.from(tree.childCounts, (childCount, i): Group => {
    const group: Group = {
      centroid: row(tree.topCentroids, i),
      rows: [],
      children: Array.from({ length: childCount }, (_, j) => ({
        centroid: row(tree.childCentroids, childBase + j),
        rows: [],
      })),
    };
    childBase += childCount;
    return group;
  });
  tree.top.forEach((top, i) => {
    const group = groups[top]!;
    group.rows.push(i);
    const child = tree.child[i]!;
    if (child >= 0) group.children[child]!.rows.push(i);
  });
  return groups;
}
