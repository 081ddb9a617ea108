import { useCallback } from 'react';
import type { FolderActions } from '../library/use-folder-actions';
import type { Notify } from '../notices/use-notice';
import type { ImageQuery } from '../search/search-request';
import { readDrop } from './read-drop';
import type { CapturedDrop } from './read-drop';

/**
 * Turns a drop into an action: an image runs a find-similar query, a folder offers to add it
 * (or, when its path is unknown, the folder picker).
 */
export function useDropSearch(
  searchByImage: (query: ImageQuery) => void,
  folders: Pick<FolderActions, 'add' | 'addPath'>,
  notify: Notify,
) {
  const { add, addPath } = folders;
  return useCallback(
    (drop: CapturedDrop) => {
      void readDrop(drop).then((content) => {
        if (content === null) return;
        switch (content.kind) {
          case 'image':
            searchByImage({
              kind: 'bytes',
              bytes: content.bytes,
              label: content.name,
              previewUrl: URL.createObjectURL(content.blob),
            });
            break;
          case 'folder': {
            const { path } = content;
            notify({
              kind: 'info',
              message: `“${content.name}” is a folder. Add it to your library?`,
              action: path
                ? { label: 'Add folder', run: () => addPath(path) }
                : { label: 'Choose folder…', run: add },
            });
            break;
          }
          case 'problem':
            notify({ kind: 'error', message: content.message });
            break;
        }
      });
    },
    [searchByImage, add, addPath, notify],
  );
}
