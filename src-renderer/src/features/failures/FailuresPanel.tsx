import { useEffect } from 'react';
import { errorMessage, useBridge } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { useModalDialog } from '../../hooks/use-modal-dialog';
import type { Notify } from '../notices/use-notice';
import { FailureRow } from './FailureRow';
import type { Failures } from './use-failures';

export interface FailuresPanelProps {
  failures: Failures;
  onClose: () => void;
  notify: Notify;
}

/**
 * [Note: Failures are a list] An unreadable file never stops indexing; it becomes a line here
 * with the stage that failed and the reason, and can be retried or looked at in the file manager.
 */
export function FailuresPanel({ failures, onClose, notify }: FailuresPanelProps) {
  const { shell } = useBridge();
  const { dialogRef, onCancel } = useModalDialog(onClose);
  const count = failures.failures?.length;
  // A retried file that now indexes leaves the list, and its focused Retry button with it.
  useEffect(() => {
    if (document.activeElement === document.body) dialogRef.current?.focus();
  }, [count, dialogRef]);

  function showInFolder(path: string) {
    shell['shell.showInFolder'](path).catch((error: unknown) =>
      notify({ kind: 'error', message: `Could not show the file: ${errorMessage(error)}` }),
    );
  }

  const list = failures.failures;
  return (
    <dialog
      ref={dialogRef}
      className="drawer"
      aria-label="Files that could not be indexed"
      tabIndex={-1}
      onCancel={onCancel}
    >
      <div className="drawer-header">
        <h2>Files that could not be indexed</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      {failures.error && <ErrorMessage title="Could not load the list" message={failures.error} />}
      {list?.length === 0 && (
        <p className="drawer-empty">Every file was indexed. Nothing to fix.</p>
      )}
      {list && list.length > 0 && (
        <>
          <p className="drawer-intro">
            Indexing skipped these files and carried on. Fix or replace a file, then retry it; files
            that change on disk are retried by themselves.
          </p>
          <ul className="failure-list">
            {list.map((failure) => (
              <FailureRow
                key={failure.path}
                failure={failure}
                retrying={failures.retrying.has(failure.path)}
                onRetry={failures.retry}
                onShowInFolder={showInFolder}
              />
            ))}
          </ul>
        </>
      )}
    </dialog>
  );
}
