import { useCallback, useMemo, useState } from 'react';
import type { PhotoSummary } from '../../../../src-main/shared/types';

/** The most examples `search.similar` takes (the contract's limit). */
export const MAX_MARKED = 1000;

export interface ClickModifiers {
  /** Ctrl (Cmd on a Mac): add or remove one photo. */
  toggle: boolean;
  /** Shift: everything from the last photo clicked to this one. */
  range: boolean;
}

export interface PhotoMarks {
  /** Marked photo ids, in the order they were marked. */
  marked: readonly number[];
  isMarked: (photoId: number) => boolean;
  /** Marks by a modified click; false when the click had no modifier (the caller opens the photo). */
  click: (position: number, modifiers: ClickModifiers) => boolean;
  clear: () => void;
}

/**
 * Several photos chosen in the home grid, as in a file manager: Ctrl/Cmd-click toggles one,
 * Shift-click marks the run from the last clicked photo (the anchor) to this one, among the
 * photos whose pages are loaded (the run is on screen, so they are). At most MAX_MARKED.
 */
export function usePhotoMarks(photoAt: (position: number) => PhotoSummary | undefined): PhotoMarks {
  const [marked, setMarked] = useState<readonly number[]>([]);
  const [anchor, setAnchor] = useState<number | null>(null);

  const click = useCallback(
    (position: number, { toggle, range }: ClickModifiers) => {
      const photo = photoAt(position);
      if (!photo || (!toggle && !range)) return false;
      if (range && anchor !== null) {
        const run: number[] = [];
        const step = position >= anchor ? 1 : -1;
        for (let at = anchor; at !== position + step; at += step) {
          const inRun = photoAt(at);
          if (inRun) run.push(inRun.photoId);
        }
        setMarked((previous) => [...new Set([...previous, ...run])].slice(0, MAX_MARKED));
      } else {
        setMarked((previous) =>
          previous.includes(photo.photoId)
            ? previous.filter((id) => id !== photo.photoId)
            : [...previous, photo.photoId].slice(0, MAX_MARKED),
        );
        setAnchor(position);
      }
      return true;
    },
    [photoAt, anchor],
  );

  const markedSet = useMemo(() => new Set(marked), [marked]);
  const isMarked = useCallback((photoId: number) => markedSet.has(photoId), [markedSet]);
  const clear = useCallback(() => {
    setMarked([]);
    setAnchor(null);
  }, []);
  return { marked, isMarked, click, clear };
}
