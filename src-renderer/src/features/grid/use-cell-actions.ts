import { useCallback, useState } from 'react';
import type { DragEvent, KeyboardEvent, MouseEvent } from 'react';
import { errorMessage, useBridge } from '../../api';
import { endInternalDrag, startInternalDrag, watchForDragEnd } from '../drop/internal-drag';
import type { Notify } from '../notices/use-notice';
import type { CopiedPhoto } from '../photo/use-photo-clipboard';
import { usePhotoClipboard } from '../photo/use-photo-clipboard';
import type { PhotoMenuItem } from './PhotoContextMenu';
import { photoOfCell } from './PhotoCell';

export interface CellMenu {
  photo: CopiedPhoto;
  at: { x: number; y: number };
  items: PhotoMenuItem[];
  /** What had the focus (the grid), to give it back when the menu closes. */
  returnFocus: HTMLElement | null;
}

/**
 * What the photo cells of every grid (search results, Home) do as desktop items, handled once
 * for the content area by delegation: dragging a cell drags the photo's file out of the window
 * (main's `shell.startDrag`, [Note: Photos leave by id], [Note: Drags that start in the
 * window]), and its context menu (right-click, Shift+F10 or the menu key on the grid's selected
 * cell) copies the image or the path, or shows the file in its folder.
 */
export function useCellActions(notify: Notify) {
  const { shell } = useBridge();
  const clipboard = usePhotoClipboard(notify);
  const [menu, setMenu] = useState<CellMenu | null>(null);

  const closeMenu = useCallback(() => {
    setMenu(null);
    menu?.returnFocus?.focus();
  }, [menu]);

  function openMenu(cell: HTMLElement, at: { x: number; y: number }) {
    const photo = photoOfCell(cell);
    if (!photo) return;
    setMenu({
      photo,
      at,
      returnFocus: document.activeElement instanceof HTMLElement ? document.activeElement : null,
      items: [
        { label: 'Copy image', run: () => clipboard.copyImage(photo) },
        { label: 'Copy path', run: () => clipboard.copyPath(photo) },
        {
          label: 'Show in folder',
          run: () =>
            shell['shell.showInFolder'](photo.path).catch((error: unknown) =>
              notify({ kind: 'error', message: `Could not show the file: ${errorMessage(error)}` }),
            ),
        },
      ],
    });
  }

  /** The cell under the pointer, or for the keyboard the grid's current cell. */
  function cellFor(target: EventTarget): HTMLElement | null {
    if (!(target instanceof HTMLElement)) return null;
    const cell = target.closest<HTMLElement>('.photo-cell');
    if (cell) return cell;
    const current = target.getAttribute('aria-activedescendant');
    return current ? document.getElementById(current) : null;
  }

  function openAtCell(cell: HTMLElement) {
    const box = cell.getBoundingClientRect();
    openMenu(cell, { x: box.left + box.width / 2, y: box.top + box.height / 2 });
  }

  const handlers = {
    onDragStart(event: DragEvent<HTMLElement>) {
      const cell = cellFor(event.target);
      const photo = cell && photoOfCell(cell);
      if (!photo) return;
      // Main starts the system drag of the file; the page's own drag would carry nothing useful.
      event.preventDefault();
      startInternalDrag();
      shell['shell.startDrag'](photo.photoId).then(watchForDragEnd, (error: unknown) => {
        endInternalDrag();
        notify({ kind: 'error', message: `Could not drag the photo: ${errorMessage(error)}` });
      });
    },
    onContextMenu(event: MouseEvent<HTMLElement>) {
      const cell = cellFor(event.target);
      if (!cell) return;
      event.preventDefault();
      // A keyboard-made contextmenu event has no pointer position: open at the cell.
      if (event.clientX === 0 && event.clientY === 0) openAtCell(cell);
      else openMenu(cell, { x: event.clientX, y: event.clientY });
    },
    onKeyDown(event: KeyboardEvent<HTMLElement>) {
      if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
      const cell = cellFor(event.target);
      if (!cell) return;
      event.preventDefault();
      openAtCell(cell);
    },
  };

  return { handlers, menu, closeMenu };
}
