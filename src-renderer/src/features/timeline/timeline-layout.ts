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

/** The index of the photo row holding a timeline position (binary search over the rows). */
export function rowOfPosition(rows: readonly TimelineRow[], position: number): number {
  let low = 0;
  let high = rows.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const row = rows[middle]!;
    const first = row.kind === 'photos' ? row.first : firstAfterHeader(rows, middle);
    if (first <= position) low = middle;
    else high = middle - 1;
  }
  return rows[low]?.kind === 'header' ? low + 1 : low;
}

/** A header's first photo is the first photo of the row below it. */
function firstAfterHeader(rows: readonly TimelineRow[], header: number): number {
  const next = rows[header + 1];
  return next?.kind === 'photos' ? next.first : Number.MAX_SAFE_INTEGER;
}

/**
 * Where a navigation key moves the current photo: ←/→ one photo, ↑/↓ the same column in the photo
 * row above or below (across month headers; a short row takes its last photo), Home/End the first
 * and last photo. Null for other keys.
 */
export function positionAfterKey(
  rows: readonly TimelineRow[],
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
  const rowIndex = rowOfPosition(rows, current);
  const row = rows[rowIndex];
  if (row?.kind !== 'photos') return current;
  const step = key === 'ArrowDown' ? 1 : -1;
  for (let index = rowIndex + step; index >= 0 && index < rows.length; index += step) {
    const target = rows[index];
    if (target?.kind === 'photos') {
      return target.first + Math.min(current - row.first, target.count - 1);
    }
  }
  return current;
}
