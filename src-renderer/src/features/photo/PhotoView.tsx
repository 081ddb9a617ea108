import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { PhotoSummary, Relevance } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { baseName, formatCount, formatScore } from '../../format';
import { useModalDialog } from '../../hooks/use-modal-dialog';
import { describeMatch } from '../grid/MatchStrength';
import type { Notify } from '../notices/use-notice';
import { PhotoCopyActions } from './PhotoCopyActions';
import { PhotoFacts } from './PhotoFacts';
import { usePhotoDetails } from './use-photo-details';
import { PAN_STEP, useZoom } from './use-zoom';
import { ZoomControls } from './ZoomControls';

export interface PhotoViewProps {
  /** A search hit (with its score and strength) or a photo of the home timeline. */
  hit: PhotoSummary & { score?: number; relevance?: Relevance };
  /**
   * Where the photo is among the results or the timeline: "n of N". None on the map, whose photos
   * have no order (and no previous or next).
   */
  position?: { index: number; total: number };
  onClose: () => void;
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
  onFindSimilar: (hit: PhotoSummary) => void;
  notify: Notify;
}

/** One photo over the grid: the image, its metadata and what can be done with it. ←/→ step through the results. */
export function PhotoView({
  hit,
  position,
  onClose,
  onPrevious,
  onNext,
  onFindSimilar,
  notify,
}: PhotoViewProps) {
  const bridge = useBridge();
  const { details, error } = usePhotoDetails(hit.photoId);
  const { dialogRef, onCancel } = useModalDialog(onClose);
  const name = baseName(hit.path);
  const stageRef = useRef<HTMLDivElement>(null);
  const imageRef = useRef<HTMLImageElement>(null);
  const zoom = useZoom(stageRef, imageRef, hit.photoId);

  function onKeyDown(event: KeyboardEvent) {
    const action = keyAction(event.key);
    if (action) {
      event.preventDefault();
      action();
    }
  }

  function keyAction(key: string): (() => void) | null {
    const pan = (dx: number, dy: number) => () => zoom.panBy(dx * PAN_STEP, dy * PAN_STEP);
    switch (key) {
      case '+':
      case '=':
        return zoom.zoomIn;
      case '-':
        return zoom.zoomOut;
      case '0':
        return zoom.fit;
      case 'ArrowLeft':
        return zoom.zoomed ? pan(1, 0) : onPrevious;
      case 'ArrowRight':
        return zoom.zoomed ? pan(-1, 0) : onNext;
      case 'ArrowUp':
        return zoom.zoomed ? pan(0, 1) : null;
      case 'ArrowDown':
        return zoom.zoomed ? pan(0, -1) : null;
      default:
        return null;
    }
  }

  function runShell(action: Promise<void>, failure: string) {
    action.catch((cause: unknown) =>
      notify({ kind: 'error', message: `${failure}: ${errorMessage(cause)}` }),
    );
  }

  return (
    <dialog
      ref={dialogRef}
      className="photo-view-backdrop"
      aria-label={name}
      onCancel={onCancel}
      onClick={(event) => event.target === event.currentTarget && onClose()}
      onKeyDown={onKeyDown}
    >
      <div className="photo-view">
        <div
          ref={stageRef}
          className="photo-view-stage"
          data-zoomed={zoom.zoomed || undefined}
          onDoubleClick={zoom.onDoubleClick}
          onPointerDown={zoom.onPointerDown}
          onPointerMove={zoom.onPointerMove}
          onPointerUp={zoom.onPointerUp}
          onPointerCancel={zoom.onPointerUp}
        >
          <img
            key={hit.photoId}
            ref={imageRef}
            src={bridge.photoUrl(hit.photoId)}
            alt={name}
            decoding="async"
            draggable={false}
            style={{
              transform: `translate(${zoom.state.x}px, ${zoom.state.y}px) scale(${zoom.state.scale})`,
            }}
          />
          <ZoomControls zoom={zoom} />
          {onPrevious && (
            <button
              type="button"
              className="photo-view-step photo-view-previous"
              aria-label="Previous photo"
              onClick={onPrevious}
            >
              <Icon name="chevron-left" />
            </button>
          )}
          {onNext && (
            <button
              type="button"
              className="photo-view-step photo-view-next"
              aria-label="Next photo"
              onClick={onNext}
            >
              <Icon name="chevron-right" />
            </button>
          )}
        </div>
        <aside className="photo-view-info">
          <header className="photo-view-header">
            <div className="photo-view-title">
              <h2 title={hit.path}>{name}</h2>
              {position && (
                <p className="photo-view-position">
                  {formatCount(position.index + 1)} of {formatCount(position.total)}
                </p>
              )}
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label="Close photo"
              onClick={onClose}
            >
              <Icon name="close" />
            </button>
          </header>
          {hit.score !== undefined && (
            <p className="photo-view-score">
              {hit.relevance ? (
                describeMatch(hit.relevance, hit.score)
              ) : (
                <>
                  Score <strong>{formatScore(hit.score)}</strong>
                </>
              )}
            </p>
          )}
          <PhotoFacts hit={hit} details={details} />
          {error && <ErrorMessage title="Could not load the photo's details" message={error} />}
          <div className="photo-view-actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => onFindSimilar(hit)}
            >
              <Icon name="similar" /> Find similar
            </button>
            <button
              type="button"
              className="button"
              onClick={() =>
                runShell(bridge.shell['shell.showInFolder'](hit.path), 'Could not show the file')
              }
            >
              <Icon name="folder" /> Show in folder
            </button>
            <button
              type="button"
              className="button"
              onClick={() =>
                runShell(bridge.shell['shell.openPath'](hit.path), 'Could not open the file')
              }
            >
              <Icon name="open" /> Open
            </button>
            <PhotoCopyActions photo={hit} notify={notify} />
          </div>
        </aside>
      </div>
    </dialog>
  );
}
