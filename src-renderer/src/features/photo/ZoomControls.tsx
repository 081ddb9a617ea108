import { Icon } from '../../components/Icon';
import type { Zoom } from './use-zoom';
import { MAX_SCALE } from './use-zoom';

/** Zoom out, the zoom level (1× fits), zoom in, fit: over the photo's bottom edge ([Note: Photo zoom]). */
export function ZoomControls({ zoom }: { zoom: Zoom }) {
  const { scale } = zoom.state;
  return (
    <div className="zoom-controls" onDoubleClick={(event) => event.stopPropagation()}>
      <button
        type="button"
        aria-label="Zoom out"
        title="Zoom out (−)"
        disabled={scale === 1}
        onClick={zoom.zoomOut}
      >
        <Icon name="minus" />
      </button>
      <output className="zoom-level" aria-label="Zoom level">
        {`${Number(scale.toFixed(1))}×`}
      </output>
      <button
        type="button"
        aria-label="Zoom in"
        title="Zoom in (+)"
        disabled={scale >= MAX_SCALE}
        onClick={zoom.zoomIn}
      >
        <Icon name="plus" />
      </button>
      <button type="button" title="Fit the photo (0)" disabled={scale === 1} onClick={zoom.fit}>
        Fit
      </button>
    </div>
  );
}
