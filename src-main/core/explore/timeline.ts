import { PhotoseekError } from '../../shared/errors';
import type { TimelinePage, TimelinePageRequest } from '../../shared/types';
import { photoSummary } from '../store/library-store';
import type { LibraryStore } from '../store/library-store';

/** The most photos one timeline page may hold (as many as one search may return). */
export const MAX_TIMELINE_PAGE = 1000;

/**
 * One page of the home timeline ([Note: Timeline order] in store/library-store.ts) with every
 * month's count, read in one transaction so the page and the counts describe the same library.
 */
export function timelinePage(store: LibraryStore, request: TimelinePageRequest): TimelinePage {
  const { offset, limit } = request;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new PhotoseekError('BAD_ARGUMENT', 'The offset must be a whole number, 0 or more.');
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TIMELINE_PAGE) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `The page size must be a whole number from 1 to ${MAX_TIMELINE_PAGE}.`,
    );
  }
  return store.db.transaction((): TimelinePage => {
    const months = store.timelineMonths();
    const photos = store.timeline(offset, limit).map(photoSummary);
    return { total: months.reduce((sum, month) => sum + month.count, 0), months, photos };
  })();
}
