import type { KeyboardEvent } from 'react';
import type { PhotoSummary } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { baseName, formatScore } from '../../format';
import { useModalDialog } from '../../hooks/use-modal-dialog';
import type { Notify } from '../notices/use-notice';
import { PhotoCopyActions } from './PhotoCopyActions';
import { PhotoFacts } from './PhotoFacts';
import { usePhotoDetails } from './use-photo-details';

export interface PhotoViewProps {
  /** A search hit (with its score) or a photo of the home timeline. */
  hit: PhotoSummary & { score?: number };
  onClose: () => void;
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
  onFindSimilar: (hit: PhotoSummary) => void;
  notify: Notify;
}

/** One photo over the grid: the image, its metadata and what can be done with it. ←/→ step through the results. */
export function PhotoView({
  hit,
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

  function onKeyDown(event: KeyboardEvent) {
    const step =
      event.key === 'ArrowLeft' ? onPrevious : event.key === 'ArrowRight' ? onNext : null;
    if (step) {
      event.preventDefault();
      step();
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
        <div className="photo-view-stage">
          <img key={hit.photoId} src={bridge.photoUrl(hit.photoId)} alt={name} decoding="async" />
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
            <h2 title={hit.path}>{name}</h2>
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
              Score <strong>{formatScore(hit.score)}</strong>
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
