import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CSSProperties, KeyboardEvent, MouseEvent, RefObject } from 'react';
import { useBridge } from '../../api';
import { plural } from '../../format';
import { useElementWidth } from '../../hooks/use-element-width';
import { CELL_GAP, CELL_SIZE, columnsFor, rowWidth } from '../grid/grid-layout';
import { PhotoCell, cellId } from '../grid/PhotoCell';
import {
  DAY_HEADER_HEIGHT,
  MONTH_HEADER_HEIGHT,
  dayLabel,
  monthLabel,
  positionAfterKey,
  rowHeight,
  rowOfPosition,
  timelineLayout,
} from './timeline-layout';
import type { PhotoRow, TimelineLayout, TimelineRow } from './timeline-layout';
import type { PhotoMarks } from './use-photo-marks';
import type { Timeline } from './use-timeline';

export interface TimelineGridProps {
  gridRef: RefObject<HTMLDivElement | null>;
  timeline: Timeline;
  marks: PhotoMarks;
  onOpen: (position: number) => void;
}

/**
 * Every photo by month and day ([Note: Timeline rows]) in one virtual list, as the search grid is
 * ([Note: Virtual grid]). The headers of the month and the day at the top stay pinned, the day's
 * under the month's: the range extractor always keeps those two in the rendered rows, and they
 * alone are `position: sticky` (the others are placed by transform like the photo rows; the
 * virtualiser's scroll padding keeps a row it scrolls to from hiding under them). The rows in view
 * ask for their pages ([Note: Paged timeline]). A click opens a photo; Ctrl/Cmd- and Shift-clicks mark photos (use-photo-marks.ts).
 * The keyboard moves a current photo of its own (arrows, Home, End; positionAfterKey), Space
 * marks it and Enter opens it, so marking never needs the mouse.
 */
export function TimelineGrid({ gridRef, timeline, marks, onOpen }: TimelineGridProps) {
  const bridge = useBridge();
  const columns = columnsFor(useElementWidth(gridRef));
  const layout = useMemo(
    () => timelineLayout(timeline.months, columns),
    [timeline.months, columns],
  );
  const { rows } = layout;
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      const missing = pinnedRows(layout, range.startIndex).filter(
        (index) => !indexes.includes(index),
      );
      return [...missing, ...indexes];
    },
    [layout],
  );
  // The React Compiler is not used, so the virtualiser's unmemoisable API is fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => gridRef.current,
    estimateSize: (index) => rowHeight(rows[index]),
    rangeExtractor,
    overscan: 3,
    scrollPaddingStart: MONTH_HEADER_HEIGHT + DAY_HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const pinned = pinnedRows(layout, virtualizer.range?.startIndex ?? 0);

  const shownPhotos = items.map((item) => rows[item.index]).filter(isPhotoRow);
  const from = shownPhotos[0]?.first ?? 0;
  const last = shownPhotos.at(-1);
  const to = last ? last.first + last.count - 1 : 0;
  const { load } = timeline;
  useEffect(() => load(from, to), [load, from, to]);

  const [current, setCurrent] = useState<number | null>(null);
  const { click } = marks;
  const onCellClick = useCallback(
    (position: number, event: MouseEvent<HTMLDivElement>) => {
      setCurrent(position);
      const toggle = event.ctrlKey || event.metaKey;
      if (!click(position, { toggle, range: event.shiftKey })) onOpen(position);
    },
    [click, onOpen],
  );

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (current !== null && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      if (event.key === 'Enter') onOpen(current);
      else click(current, { toggle: true, range: false });
      return;
    }
    const next = positionAfterKey(layout, timeline.total, event.key, current);
    if (next === null) return;
    event.preventDefault();
    setCurrent(next);
    virtualizer.scrollToIndex(rowOfPosition(layout, next));
  }
  const currentPhoto = current === null ? undefined : timeline.photoAt(current);

  return (
    <div
      ref={gridRef}
      className="photo-grid timeline-grid"
      role="listbox"
      aria-label="All photos"
      aria-multiselectable
      tabIndex={0}
      aria-activedescendant={currentPhoto ? cellId(currentPhoto.photoId) : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="photo-grid-rows" style={rowsStyle(virtualizer.getTotalSize(), columns)}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          if (row.kind !== 'photos') {
            return (
              <TimelineHeader
                key={item.key}
                row={row}
                pinned={pinned.includes(item.index)}
                start={item.start}
              />
            );
          }
          return (
            <div
              key={item.key}
              className="photo-grid-row"
              role="none"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {Array.from({ length: row.count }, (_, offset) => {
                const position = row.first + offset;
                const photo = timeline.photoAt(position);
                return photo ? (
                  <PhotoCell
                    key={photo.photoId}
                    hit={photo}
                    index={position}
                    thumbnailUrl={bridge.thumbnailUrl(photo.photoId)}
                    selected={marks.isMarked(photo.photoId)}
                    current={position === current}
                    onClick={onCellClick}
                  />
                ) : (
                  <div key={`pending-${position}`} className="photo-cell photo-cell-pending" />
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function isPhotoRow(row: TimelineRow | undefined): row is PhotoRow {
  return row?.kind === 'photos';
}

/** The headers pinned above the row at the top: its month's and, under it, its day's. */
function pinnedRows({ monthOf, dayOf }: TimelineLayout, top: number): number[] {
  return [monthOf[top] ?? 0, dayOf[top] ?? 1];
}

interface TimelineHeaderProps {
  row: Exclude<TimelineRow, PhotoRow>;
  pinned: boolean;
  /** The row's place in the list, for a header that is not pinned. */
  start: number;
}

/**
 * A month's or a day's header. A listbox may own options only (axe: aria-required-children): the
 * headers are for the eye; the tab and the options carry the names.
 */
function TimelineHeader({ row, pinned, start }: TimelineHeaderProps) {
  const kind = row.kind === 'month' ? 'timeline-month' : 'timeline-day';
  return (
    <div
      className={`timeline-header ${kind}${pinned ? ' timeline-header-pinned' : ''}`}
      aria-hidden="true"
      style={pinned ? undefined : { transform: `translateY(${start}px)` }}
    >
      {row.kind === 'month' ? <h2>{monthLabel(row.month)}</h2> : <h3>{dayLabel(row.day)}</h3>}
      <span>{plural(row.count, 'photo', 'photos')}</span>
    </div>
  );
}

/** As the search grid's rows ([Note: Fixed grid cells]): the geometry lives in grid-layout.ts. */
function rowsStyle(height: number, columns: number): CSSProperties {
  return {
    height,
    width: rowWidth(columns),
    '--cell-size': `${CELL_SIZE}px`,
    '--cell-gap': `${CELL_GAP}px`,
  } as CSSProperties;
}
