import { useCallback, useEffect, useRef, useState } from 'react';
import type { PhotoSummary, TimelineMonth } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

/** Photos per `photos.timeline` call: a few screens of a wide window. */
export const TIMELINE_PAGE = 240;

export interface Timeline {
  months: TimelineMonth[];
  total: number;
  /** The first page has been answered (until then, months and total are empty). */
  ready: boolean;
  error: string | null;
  /** The photo at a timeline position, if its page has arrived. */
  photoAt: (position: number) => PhotoSummary | undefined;
  /** Fetches the pages holding positions `from` to `to` (inclusive) that are not loaded or on their way. */
  load: (from: number, to: number) => void;
}

interface Pages {
  libraryVersion: number;
  months: TimelineMonth[];
  total: number;
  byIndex: ReadonlyMap<number, PhotoSummary[]>;
  error: string | null;
}

/**
 * [Note: Paged timeline] The renderer never holds the whole library: it asks for the pages of
 * TIMELINE_PAGE photos that the visible rows need (the grid calls `load` as it scrolls), and every
 * answer carries the months' counts that lay out the rows ([Note: Timeline rows]). A new library
 * version (photos added or removed) forgets every page and starts again from the first; answers
 * for an older version are dropped as in [Note: Stale answers].
 */
export function useTimeline(libraryVersion: number): Timeline {
  const { core } = useBridge();
  const [pages, setPages] = useState<Pages>(() => emptyPages(libraryVersion));
  const requested = useRef({ libraryVersion, pages: new Set<number>() });

  const fetchPage = useCallback(
    (index: number) => {
      if (requested.current.libraryVersion !== libraryVersion) {
        requested.current = { libraryVersion, pages: new Set() };
      }
      if (requested.current.pages.has(index)) return;
      requested.current.pages.add(index);
      core['photos.timeline']({ offset: index * TIMELINE_PAGE, limit: TIMELINE_PAGE }).then(
        (page) =>
          setPages((previous) => {
            if (requested.current.libraryVersion !== libraryVersion) return previous;
            const base =
              previous.libraryVersion === libraryVersion ? previous : emptyPages(libraryVersion);
            const byIndex = new Map(base.byIndex);
            byIndex.set(index, page.photos);
            return { libraryVersion, months: page.months, total: page.total, byIndex, error: null };
          }),
        (error: unknown) => {
          requested.current.pages.delete(index);
          setPages((previous) => ({ ...previous, error: errorMessage(error) }));
        },
      );
    },
    [core, libraryVersion],
  );

  useEffect(() => fetchPage(0), [fetchPage]);

  // After a library change the previous pages stay on screen until the new first page arrives.
  const { byIndex } = pages;
  const photoAt = useCallback(
    (position: number) =>
      byIndex.get(Math.floor(position / TIMELINE_PAGE))?.[position % TIMELINE_PAGE],
    [byIndex],
  );
  const load = useCallback(
    (from: number, to: number) => {
      for (let index = Math.floor(from / TIMELINE_PAGE); index <= to / TIMELINE_PAGE; index++) {
        fetchPage(index);
      }
    },
    [fetchPage],
  );
  return {
    months: pages.months,
    total: pages.total,
    ready: byIndex.has(0),
    error: pages.error,
    photoAt,
    load,
  };
}

function emptyPages(libraryVersion: number): Pages {
  return { libraryVersion, months: [], total: 0, byIndex: new Map(), error: null };
}
