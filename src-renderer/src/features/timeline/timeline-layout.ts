import type { TimelineMonth } from '../../../../src-main/shared/types';
import { ROW_HEIGHT } from '../grid/grid-layout';

/** A month's header row, full width, above its photos. */
export const HEADER_HEIGHT = 48;

export type TimelineRow =
  | { kind: 'header'; month: string; count: number }
  /** `first` is the timeline position (offset) of the row's first photo. */
  | { kind: 'photos'; first: number; count: number };

export interface TimelineLayout {
  rows: TimelineRow[];
  /** For each row, the index of the header of the month it belongs to (itself for a header). */
  headerOf: number[];
}

/**
 * [Note: Timeline rows] The home grid is one virtual list of rows of two fixed heights: a month
 * header, then the month's photos `columns` to a row (the last row of a month may be short). The
 * layout needs only the months' counts, so the list has its full height and every row its place
 * before any page of photos has arrived; a row whose photos are not loaded yet shows empty cells.
 */
export function timelineLayout(months: readonly TimelineMonth[], columns: number): TimelineLayout {
  const rows: TimelineRow[] = [];
  const headerOf: number[] = [];
  let first = 0;
  for (const { month, count } of months) {
    const header = rows.length;
    rows.push({ kind: 'header', month, count });
    headerOf.push(header);
    for (let start = 0; start < count; start += columns) {
      rows.push({ kind: 'photos', first: first + start, count: Math.min(columns, count - start) });
      headerOf.push(header);
    }
    first += count;
  }
  return { rows, headerOf };
}

export function rowHeight(row: TimelineRow | undefined): number {
  return row?.kind === 'header' ? HEADER_HEIGHT : ROW_HEIGHT;
}

/** "2024-03" → "March 2024" (the month is a UTC calendar month: [Note: Capture time]). */
export function monthLabel(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (monthNumber ?? 1) - 1, 1)).toLocaleDateString(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
