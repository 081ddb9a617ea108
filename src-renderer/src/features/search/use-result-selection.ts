import { useCallback, useMemo, useState } from 'react';
import type { SearchHit } from '../../../../src-main/shared/types';

export interface ResultSelection {
  /** Index of the selected photo among `hits`, or null when none (or it left the results). */
  selectedIndex: number | null;
  select: (index: number) => void;
  /** The photo shown in the photo view, if any, and its index among `hits` ("n of N"). */
  openHit: SearchHit | null;
  openIndex: number | null;
  open: (index: number) => void;
  close: () => void;
  /** Steps the photo view to the neighbouring result; null at either end. */
  previous: (() => void) | null;
  next: (() => void) | null;
}

/**
 * Which result is selected and which is open, kept by photo id so that re-filtering keeps them.
 * The selection belongs to the query it was made in (`request`): a new query starts with none,
 * even where the same photo is among its results.
 */
export function useResultSelection(hits: SearchHit[], request: unknown): ResultSelection {
  const [selected, setSelected] = useState<{ request: unknown; photoId: number } | null>(null);
  const [openHit, setOpenHit] = useState<SearchHit | null>(null);
  const selectedId = selected && selected.request === request ? selected.photoId : null;

  const selectedIndex = useMemo(() => {
    const index = hits.findIndex((hit) => hit.photoId === selectedId);
    return index < 0 ? null : index;
  }, [hits, selectedId]);

  const select = useCallback(
    (index: number) => {
      const hit = hits[index];
      setSelected(hit ? { request, photoId: hit.photoId } : null);
    },
    [hits, request],
  );
  const open = useCallback(
    (index: number) => {
      const hit = hits[index];
      if (!hit) return;
      setOpenHit(hit);
      setSelected({ request, photoId: hit.photoId });
    },
    [hits, request],
  );
  const close = useCallback(() => setOpenHit(null), []);

  const openIndex = openHit ? hits.findIndex((hit) => hit.photoId === openHit.photoId) : -1;
  const stepTo = (index: number) => (openIndex >= 0 && hits[index] ? () => open(index) : null);
  return {
    selectedIndex,
    select,
    openHit,
    openIndex: openIndex >= 0 ? openIndex : null,
    open,
    close,
    previous: stepTo(openIndex - 1),
    next: stepTo(openIndex + 1),
  };
}
