import { useRef, useState } from 'react';
import type { LibraryFolder } from '../../../../src-main/shared/types';
import { Icon } from '../../components/Icon';
import { baseName, formatCount } from '../../format';

export interface FolderRowProps {
  folder: LibraryFolder;
  indexingNow: boolean;
  onRemove: (path: string) => void;
}

function folderState(folder: LibraryFolder, indexingNow: boolean): string {
  if (indexingNow) return 'Indexing…';
  const counts =
    folder.fileCount === 0
      ? 'No photos found yet'
      : folder.indexedCount >= folder.fileCount
        ? `${formatCount(folder.fileCount)} photos`
        : `${formatCount(folder.indexedCount)} of ${formatCount(folder.fileCount)} indexed`;
  // An unplugged drive keeps its photos searchable; only new files wait until it is back.
  return folder.online ? counts : `Not connected · ${counts}`;
}

/** A library folder with its counts; removing asks once more, inline. */
export function FolderRow({ folder, indexingNow, onRemove }: FolderRowProps) {
  const [confirming, setConfirming] = useState(false);
  const restoreFocus = useRef(false);
  const name = baseName(folder.path);
  return (
    <li className={folder.online ? 'folder-row' : 'folder-row folder-row-offline'}>
      <Icon name="folder" />
      <div className="folder-row-text" title={folder.path}>
        <span className="folder-row-name">{name}</span>
        <span className="folder-row-state">
          {confirming ? 'Files stay on disk.' : folderState(folder, indexingNow)}
        </span>
      </div>
      {confirming ? (
        <span className="folder-row-confirm">
          <button
            type="button"
            className="button button-danger button-small"
            onClick={() => onRemove(folder.path)}
          >
            Remove
          </button>
          <button
            type="button"
            className="button button-small"
            // Focus moves to the safe choice; Keep gives it back to the trash button.
            autoFocus
            onClick={() => {
              setConfirming(false);
              restoreFocus.current = true;
            }}
          >
            Keep
          </button>
        </span>
      ) : (
        <button
          ref={(button) => {
            if (button && restoreFocus.current) button.focus();
            restoreFocus.current = false;
          }}
          type="button"
          className="icon-button"
          aria-label={`Remove ${name}`}
          title="Remove from library"
          onClick={() => setConfirming(true)}
        >
          <Icon name="trash" />
        </button>
      )}
    </li>
  );
}
