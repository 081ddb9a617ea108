import { PhotoseekError } from '../../shared/errors';
import type {
  TimelineDay,
  TimelineMonth,
  TimelinePage,
  TimelinePageRequest,
} from '../../shared/types';
import { photoSummary } from '../store/library-store';
import type { LibraryStore } from '../store/library-store';

/** The most photos one timeline page may hold (as many as one search may return). */
export const MAX_TIMELINE_PAGE = 1000;

const DAY_MS = 86_400_000;

/**
 * One page of the home timeline ([Note: Timeline order] in store/library-store.ts) with every
 * month's and day's count, read in one transaction so the page and the counts describe the same
 * library.
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
    const months = timelineCounts(store.timelineTimes());
    const photos = store.timeline(offset, limit).map(photoSummary);
    return { total: months.reduce((sum, month) => sum + month.count, 0), months, photos };
  })();
}

/**
 * [Note: Timeline day counts] Home lays out every month and day header before it has the photos
 * ([Note: Timeline rows] in src-renderer/src/features/timeline/timeline-layout.ts), so every page
 * carries the counts of every day with photos. Deriving the days from the fetched pages instead
 * would move every row below a page when it arrives, and a jump to the middle or the end would
 * land on the wrong rows. The counts come from one read of the covering index's timeline times,
 * bucketed here as they arrive newest first. Walking the index day by day (as the months alone
 * were walked: two lookups per month) takes 290 ms at 100,000 photos over 17 years (6,211 days);
 * `GROUP BY` the day in SQL sorts the groups in a temporary b-tree, 67 ms; reading the 100,000
 * times and counting in JS, 32 ms (the months walk it replaces was 15 ms; bench/timeline.bench.ts
 * and docs/benchmarks.md). The days, like the months, are UTC calendar days ([Note: Capture time]).
 */
export function timelineCounts(newestFirst: readonly number[]): TimelineMonth[] {
  const months: TimelineMonth[] = [];
  let dayStart = Number.POSITIVE_INFINITY;
  let month: TimelineMonth | undefined;
  let day: TimelineDay | undefined;
  for (const at of newestFirst) {
    if (!month || !day || at < dayStart) {
      dayStart = at - (((at % DAY_MS) + DAY_MS) % DAY_MS);
      const dayKey = new Date(dayStart).toISOString().slice(0, 10);
      if (month?.month !== dayKey.slice(0, 7)) {
        month = { month: dayKey.slice(0, 7), count: 0, days: [] };
        months.push(month);
      }
      day = { day: dayKey, count: 0 };
      month.days.push(day);
    }
    month.count++;
    day.count++;
  }
  return months;
}
