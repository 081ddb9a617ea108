import { useState } from 'react';
import type { MapProgress, PhotoSummary, SimilarityMap } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { plural } from '../../format';
import type { Notify } from '../notices/use-notice';
import { PhotoView } from '../photo/PhotoView';
import { MapCanvas } from './MapCanvas';
import { CLUSTER_COLOURS } from './map-draw';
import { useSimilarityMap } from './use-similarity-map';
import { evenlySpread } from '../../../../src-main/shared/evenly-spread';

const NONE: ReadonlySet<number> = new Set();

/** search.similar takes at most this many photos (the contract's limit). */
const MAX_EXAMPLES = 1000;

const PHASES: Record<MapProgress['phase'], string> = {
  clusters: 'Grouping similar photos…',
  reading: 'Reading the library…',
  fitting: 'Laying out the map…',
  placing: 'Placing every photo…',
  saving: 'Saving…',
};

/**
 * The Map tab: every photo at its place on the similarity map (explore.map), coloured and
 * labelled by cluster. A lasso selects photos for "More like these"; the cluster list beside the
 * map is its text alternative (a cluster button selects the cluster and zooms to it).
 */
export function MapView({
  embedded,
  onMoreLikeThese,
  onFindSimilar,
  notify,
}: {
  embedded: number;
  onMoreLikeThese: (photoIds: number[]) => void;
  onFindSimilar: (hit: PhotoSummary) => void;
  notify: Notify;
}) {
  const bridge = useBridge();
  const { map, error, progress } = useSimilarityMap(embedded);
  // Rows of the map they were made on: a new map (the library changed) starts unselected.
  const [selection, setSelection] = useState<{ map: SimilarityMap | null; rows: Set<number> }>({
    map: null,
    rows: new Set(),
  });
  const selected: ReadonlySet<number> = selection.map === map ? selection.rows : NONE;
  const setSelected = (rows: Set<number>) => setSelection({ map, rows });
  const [lassoMode, setLassoMode] = useState(false);
  const [focus, setFocus] = useState<readonly number[] | null>(null);
  const [openPhoto, setOpenPhoto] = useState<PhotoSummary | null>(null);

  if (error) return <ErrorMessage title="Could not make the map" message={error} />;
  if (!map)
    return (
      <div className="clusters-status">
        <p>{progress ? PHASES[progress.phase] : 'Making the map…'}</p>
        {progress && (
          <ProgressBar value={progress.done} total={progress.total} label="Making the map" />
        )}
      </div>
    );
  if (map.photoIds.length === 0)
    return (
      <EmptyState icon="folder-plus" title="No map yet">
        <p>The map appears once photos are indexed.</p>
      </EmptyState>
    );

  function open(photoId: number) {
    bridge.core['photos.get'](photoId).then(
      ({ paths, folder, width, height, takenAt, camera }) =>
        setOpenPhoto({ photoId, path: paths[0]!, folder, width, height, takenAt, camera }),
      (problem: unknown) =>
        notify({ kind: 'error', message: `Could not open the photo: ${errorMessage(problem)}` }),
    );
  }

  function selectCluster(index: number, current: SimilarityMap) {
    const rows = current.cluster.flatMap((cluster, row) => (cluster === index ? [row] : []));
    setSelected(new Set(rows));
    const xs = rows.map((row) => current.x[row]!);
    const ys = rows.map((row) => current.y[row]!);
    setFocus([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
  }

  const selectedIds = [...selected].map((row) => map.photoIds[row]!);
  return (
    <section className="map-view" aria-label="Similarity map">
      <div className="results-toolbar">
        <span className="results-summary" aria-live="polite">
          {selected.size > 0
            ? `${plural(selected.size, 'photo', 'photos')} selected of ${map.photoIds.length.toLocaleString('en-US')}`
            : `${plural(map.photoIds.length, 'photo', 'photos')} · similar photos lie close together`}
        </span>
        <button
          type="button"
          className="button"
          aria-pressed={lassoMode}
          onClick={() => setLassoMode(!lassoMode)}
        >
          Lasso
        </button>
        {selected.size > 0 && (
          <>
            <button type="button" className="button" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => onMoreLikeThese(evenlySpread(selectedIds, MAX_EXAMPLES))}
            >
              <Icon name="search" /> More like these
            </button>
          </>
        )}
      </div>
      <div className="map-body">
        <MapCanvas
          map={map}
          selected={selected}
          onSelect={(rows) => setSelected(new Set(rows))}
          onOpen={open}
          lassoMode={lassoMode}
          focus={focus}
          describedBy="map-help"
        />
        <aside className="map-side">
          <p id="map-help" className="map-help">
            Drag to pan, scroll or pinch to zoom (keys + − and arrows, 0 for all). Shift-drag or
            Lasso to select, click a photo to open it.
          </p>
          <h2 className="map-side-title">Clusters</h2>
          <ul className="map-clusters">
            {map.clusters.map((cluster, index) => (
              <li key={cluster.name}>
                <button
                  type="button"
                  className="map-cluster"
                  onClick={() => selectCluster(index, map)}
                >
                  <span
                    className="map-swatch"
                    aria-hidden="true"
                    style={{ background: CLUSTER_COLOURS[index % CLUSTER_COLOURS.length] }}
                  />
                  <span className="map-cluster-name">{cluster.name}</span>
                  <span className="clusters-size">{cluster.size.toLocaleString('en-US')}</span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
      </div>
      {openPhoto && (
        <PhotoView
          hit={openPhoto}
          onClose={() => setOpenPhoto(null)}
          onPrevious={null}
          onNext={null}
          onFindSimilar={onFindSimilar}
          notify={notify}
        />
      )}
    </section>
  );
}
