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
  monthLabel,
  positionAfterKey,
  rowHeight,
  rowOfPosition,
  timelineLayout,
} from './timeline-layout';
import type { TimelineRow } from './timeline-layout';
import type { PhotoMarks } from './use-photo-marks';
import type { Timeline } from './use-timeline';

export interface TimelineGridProps {
  gridRef: RefObject<HTMLDivElement | null>;
  timeline: Timeline;
  marks: PhotoMarks;
  onOpen: (position: number) => void;
}

/**
 * Every photo by month ([Note: Timeline rows]) in one virtual list, as the search grid is ([Note:
 * Virtual grid]). The header of the month at the top stays pinned: the range extractor always
 * keeps that header in the rendered rows, and it alone is `position: sticky` (the others are
 * placed by transform like the photo rows). The rows in view ask for their pages ([Note: Paged
 * timeline]). A click opens a photo; Ctrl/Cmd- and Shift-clicks mark photos (use-photo-marks.ts).
 * The keyboard moves a current photo of its own (arrows, Home, End; positionAfterKey), Space
 * marks it and Enter opens it, so marking never needs the mouse.
 */
export function TimelineGrid({ gridRef, timeline, marks, onOpen }: TimelineGridProps) {
  const bridge = useBridge();
  const columns = columnsFor(useElementWidth(gridRef));
  const { rows, headerOf } = useMemo(
    () => timelineLayout(timeline.months, columns),
    [timeline.months, columns],
  );
  const rangeExtractor = useCallback(
    (range: Range) => {
      const pinned = headerOf[range.startIndex] ?? 0;
      const indexes = defaultRangeExtractor(range);
      return indexes.includes(pinned) ? indexes : [pinned, ...indexes];
    },
    [headerOf],
  );
  // The React Compiler is not used, so the virtualiser's unmemoisable API is fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => gridRef.current,
    estimateSize: (index) => rowHeight(rows[index]),
    rangeExtractor,
    overscan: 3,
  });
  const items = virtualizer.getVirtualItems();
  const pinned = headerOf[virtualizer.range?.startIndex ?? 0] ?? 0;

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
    const next = positionAfterKey(rows, timeline.total, event.key, current);
    if (next === null) return;
    event.preventDefault();
    setCurrent(next);
    virtualizer.scrollToIndex(rowOfPosition(rows, next));
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
          if (row.kind === 'header') {
            const isPinned = item.index === pinned;
            return (
              <div
                key={item.key}
                className={isPinned ? 'timeline-header timeline-header-pinned' : 'timeline-header'}
                // A listbox may own options only (axe: aria-required-children): the month
                // headers are for the eye; the tab and the options carry the names.
                aria-hidden="true"
                style={isPinned ? undefined : { transform: `translateY(${item.start}px)` }}
              >
                <h2>{monthLabel(row.month)}</h2>
                <span>{plural(row.count, 'photo', 'photos')}</span>
              </div>
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

function isPhotoRow(row: TimelineRow | undefined): row is Extract<TimelineRow, { kind: 'photos' }> {
  return row?.kind === 'photos';
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
