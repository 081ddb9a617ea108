import type { ClusterNode, ClusterOptions, ClusterProgress } from '../../shared/types';
import type { Embedder } from '../embed/embedder';
import type { LibraryStore } from '../store/library-store';
import type { VectorIndex } from '../store/vector-index';
import { nameSiblings, type SiblingCluster } from './cluster-names';
import type { ClusterStore, NewCluster, StoredCluster } from './cluster-store';
import { buildClusterTree, nearest, type Cluster, type VectorSet } from './clusters';
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
    const set = readVectors(source, (done, total) =>
      onProgress?.({ phase: 'reading', done, total }),
    );
    signal?.throwIfAborted();
    const tree = buildClusterTree(set, (done, total) =>
      onProgress?.({ phase: 'clustering', done, total }),
    );
    signal?.throwIfAborted();
    const names = await this.names(source, set, tree.top, tree.children, request);
    signal?.throwIfAborted();
    onProgress?.({ phase: 'saving', done: 0, total: 1 });
    const members = (cluster: Cluster) =>
      cluster.rows.map((row, i) => ({
        photoId: set.photoIds[row]!,
        similarity: cluster.similarities[i]!,
      }));
    const clusters: NewCluster[] = tree.top.map((top, i) => ({
      name: names.top[i]!,
      centroid: top.centroid,
      members: members(top),
      children: tree.children[i]!.map((child, j) => ({
        name: names.children[i]![j]!,
        centroid: child.centroid,
        members: members(child),
      })),
    }));
    this.deps.clusters.replace(source.modelId, set.photoIds.length, clusters);
    onProgress?.({ phase: 'saving', done: 1, total: 1 });
  }

  private async names(
    source: ClusterSource,
    set: VectorSet,
    top: readonly Cluster[],
    children: readonly (readonly Cluster[])[],
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
      (photos ??= this.deps.library.photos(set.photoIds)).get(set.photoIds[row]!);
    const sibling = (cluster: Cluster): SiblingCluster => ({
      centroid: cluster.centroid,
      members: () =>
        cluster.rows.flatMap((row) => {
          const photo = photoOf(row);
          return photo
            ? [{ dirPath: photo.dirPath, takenAt: photo.takenAt, camera: photo.camera }]
            : [];
        }),
    });
    const topNames = nameSiblings(top.map(sibling), vocabulary);
    return {
      top: topNames,
      children: children.map((siblings, i) =>
        nameSiblings(siblings.map(sibling), vocabulary, new Set([topNames[i]!])),
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
