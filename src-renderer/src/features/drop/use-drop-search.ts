import { useCallback } from 'react';
import { useBridge } from '../../api';
import { formatBytes } from '../../format';
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
  dismiss: () => void,
) {
  const { add, addPath } = folders;
  const { shell, on } = useBridge();
  return useCallback(
    (drop: CapturedDrop) => {
      const fetchWebImage = async (url: string) => {
        const showProgress = (received = 0, total: number | null = null) =>
          notify({
            kind: 'info',
            message: `Downloading the dropped image… ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''}`,
            action: { label: 'Cancel', run: () => void shell['shell.cancelWebImage']() },
          });
        showProgress();
        const stop = on('webImage.progress', ({ received, total }) =>
          showProgress(received, total),
        );
        try {
          const image = await shell['shell.fetchWebImage'](url);
          dismiss();
          return image;
        } finally {
          stop();
        }
      };
      void readDrop(drop, fetchWebImage).then((content) => {
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
    [searchByImage, add, addPath, notify, dismiss, shell, on],
  );
}
