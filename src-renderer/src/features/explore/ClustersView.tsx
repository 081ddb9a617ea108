import { useRef, useState } from 'react';
import type {
  ClusterNode,
  ClusterProgress,
  PhotoSummary,
  SearchHit,
} from '../../../../src-main/shared/types';
import { useBridge } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ProgressBar } from '../../components/ProgressBar';
import { ErrorMessage } from '../../components/ErrorMessage';
import { PhotoGrid } from '../grid/PhotoGrid';
import type { Notify } from '../notices/use-notice';
import { PhotoView } from '../photo/PhotoView';
import { useResultSelection } from '../search/use-result-selection';
import { useClusters } from './use-clusters';

const REPRESENTATIVES = 4;
const NO_PHOTOS: SearchHit[] = [];

const PHASES: Record<ClusterProgress['phase'], string> = {
  reading: 'Reading the library…',
  clustering: 'Grouping similar photos…',
  naming: 'Naming the groups…',
  saving: 'Saving…',
};

/**
 * Clusters as cards (name, size, the four most typical photos); a card opens the cluster: its
 * sub-clusters as cards and all its photos in the virtual grid.
 */
export function ClustersView({
  embedded,
  onFindSimilar,
  notify,
}: {
  embedded: number;
  onFindSimilar: (hit: PhotoSummary) => void;
  notify: Notify;
}) {
  const { clusters, error, progress } = useClusters(embedded);
  const [path, setPath] = useState<string[]>([]);
  const gridRef = useRef<HTMLDivElement>(null);
  const trail = openTrail(clusters ?? [], path);
  const open = trail[trail.length - 1];
  // The open cluster is the query: each has its own selection.
  const selection = useResultSelection(open?.photos ?? NO_PHOTOS, open);

  if (error) return <ErrorMessage title="Could not make clusters" message={error} />;
  if (!clusters)
    return (
      <div className="clusters-status">
        <p>{progress ? PHASES[progress.phase] : 'Finding clusters…'}</p>
        {progress && (
          <ProgressBar value={progress.done} total={progress.total} label="Finding clusters" />
        )}
      </div>
    );
  if (clusters.length === 0)
    return (
      <EmptyState icon="folder-plus" title="No clusters yet">
        <p>Clusters appear once photos are indexed.</p>
      </EmptyState>
    );

  const shown = open ? open.children : clusters;
  const go = (names: string[]) => {
    setPath(names);
    selection.close();
  };

  return (
    <section className="clusters" aria-label="Clusters">
      {open && (
        <nav className="clusters-trail" aria-label="Cluster path">
          <button type="button" className="button" onClick={() => go(path.slice(0, -1))}>
            ← {trail.length > 1 ? trail[trail.length - 2]!.name : 'All clusters'}
          </button>
          <h2>
            {open.name} <span className="clusters-size">{photoCount(open.size)}</span>
          </h2>
        </nav>
      )}
      {shown.length > 0 && (
        <ul className="cluster-cards">
          {shown.map((cluster) => (
            <li key={cluster.name}>
              <ClusterCard cluster={cluster} onOpen={() => go([...path, cluster.name])} />
            </li>
          ))}
        </ul>
      )}
      {open && (
        <PhotoGrid
          gridRef={gridRef}
          hits={open.photos}
          selectedIndex={selection.selectedIndex}
          onSelect={selection.select}
          onOpen={selection.open}
        />
      )}
      {selection.openHit && (
        <PhotoView
          hit={selection.openHit}
          position={{ index: selection.openIndex ?? 0, total: open?.photos.length ?? 0 }}
          onClose={() => {
            selection.close();
            gridRef.current?.focus();
          }}
          onPrevious={selection.previous}
          onNext={selection.next}
          onFindSimilar={onFindSimilar}
          notify={notify}
        />
      )}
    </section>
  );
}

function ClusterCard({ cluster, onOpen }: { cluster: ClusterNode; onOpen: () => void }) {
  const bridge = useBridge();
  return (
    <button type="button" className="cluster-card" onClick={onOpen}>
      <span className="cluster-thumbnails" aria-hidden="true">
        {cluster.photos.slice(0, REPRESENTATIVES).map((photo) => (
          <img key={photo.photoId} src={bridge.thumbnailUrl(photo.photoId)} alt="" />
        ))}
      </span>
      <span className="cluster-name">{cluster.name}</span>
      <span className="clusters-size">
        {photoCount(cluster.size)}
        {cluster.children.length > 0 ? ` · ${cluster.children.length} groups` : ''}
      </span>
    </button>
  );
}

/** The clusters along `path` (names, top first), as far as they still exist. */
function openTrail(clusters: readonly ClusterNode[], path: readonly string[]): ClusterNode[] {
  const trail: ClusterNode[] = [];
  let level = clusters;
  for (const name of path) {
    const found = level.find((cluster) => cluster.name === name);
    if (!found) break;
    trail.push(found);
    level = found.children;
  }
  return trail;
}

function photoCount(size: number): string {
  return `${size.toLocaleString('en-US')} photo${size === 1 ? '' : 's'}`;
}
