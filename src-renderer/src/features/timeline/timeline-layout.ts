import type { TimelineMonth } from '../../../../src-main/shared/types';
import { ROW_HEIGHT } from '../grid/grid-layout';

/** A month's header row, full width, above its days. */
export const MONTH_HEADER_HEIGHT = 48;
/** A day's header row, full width, above its photos. */
export const DAY_HEADER_HEIGHT = 36;

export type TimelineRow =
  | { kind: 'month'; month: string; count: number }
  | { kind: 'day'; day: string; count: number }
  /** `first` is the timeline position (offset) of the row's first photo. */
  | { kind: 'photos'; first: number; count: number };

export type PhotoRow = Extract<TimelineRow, { kind: 'photos' }>;

export interface TimelineLayout {
  rows: TimelineRow[];
  /** For each row, the index of the header of the month it belongs to (itself for a month). */
  monthOf: number[];
  /** For each row, the index of the header of its day (itself for a day, the first for a month). */
  dayOf: number[];
  /** The indexes of the photo rows, in order (their `first` grows with them). */
  photoRows: number[];
}

/**
 * [Note: Timeline rows] The home grid is one virtual list of rows of three fixed heights: a month
 * header, a day header under it for each of its days, then the day's photos `columns` to a row
 * (the last row of a day may be short). The layout needs only the months' and days' counts ([Note:
 * Timeline day counts] in src-main/core/explore/timeline.ts), so the list has its full height and
 * every row its place before any page of photos has arrived; a row whose photos are not loaded yet
 * shows empty cells.
 */
export function timelineLayout(months: readonly TimelineMonth[], columns: number): TimelineLayout {
  const layout: TimelineLayout = { rows: [], monthOf: [], dayOf: [], photoRows: [] };
  const { rows, monthOf, dayOf, photoRows } = layout;
  let first = 0;
  for (const { month, count, days } of months) {
    const monthHeader = rows.length;
    rows.push({ kind: 'month', month, count });
    monthOf.push(monthHeader);
    dayOf.push(monthHeader + 1);
    for (const { day, count: dayCount } of days) {
      const dayHeader = rows.length;
      rows.push({ kind: 'day', day, count: dayCount });
      monthOf.push(monthHeader);
      dayOf.push(dayHeader);
      for (let start = 0; start < dayCount; start += columns) {
        photoRows.push(rows.length);
        rows.push({
          kind: 'photos',
          first: first + start,
          count: Math.min(columns, dayCount - start),
        });
        monthOf.push(monthHeader);
        dayOf.push(dayHeader);
      }
      first += dayCount;
    }
  }
  return layout;
}

export function rowHeight(row: TimelineRow | undefined): number {
  if (row?.kind === 'month') return MONTH_HEADER_HEIGHT;
  if (row?.kind === 'day') return DAY_HEADER_HEIGHT;
  return ROW_HEIGHT;
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

/** "2024-12-03" → "Tuesday 3 December" (in the user's locale; the month header has the year). */
export function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
}

/** The index of the photo row holding a timeline position. */
export function rowOfPosition(layout: TimelineLayout, position: number): number {
  return layout.photoRows[photoRowOfPosition(layout, position)] ?? 0;
}

/** Where in `photoRows` the row holding a timeline position is (binary search). */
function photoRowOfPosition({ rows, photoRows }: TimelineLayout, position: number): number {
  let low = 0;
  let high = photoRows.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const row = rows[photoRows[middle]!] as PhotoRow;
    if (row.first <= position) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Where a navigation key moves the current photo: ←/→ one photo, ↑/↓ the same column in the photo
 * row above or below (across day and month headers; a short row takes its last photo), Home/End
 * the first and last photo. Null for other keys.
 */
export function positionAfterKey(
  layout: TimelineLayout,
  total: number,
  key: string,
  current: number | null,
): number | null {
  if (total === 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return total - 1;
  if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(key)) return null;
  if (current === null) return 0;
  if (key === 'ArrowLeft') return Math.max(0, current - 1);
  if (key === 'ArrowRight') return Math.min(total - 1, current + 1);
  const { rows, photoRows } = layout;
  const here = photoRowOfPosition(layout, current);
  const row = rows[photoRows[here] ?? -1];
  const target = rows[photoRows[here + (key === 'ArrowDown' ? 1 : -1)] ?? -1];
  return row?.kind === 'photos' && target?.kind === 'photos'
    ? target.first + Math.min(current - row.first, target.count - 1)
    : current;
}
