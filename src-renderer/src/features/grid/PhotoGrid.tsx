import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect } from 'react';
import type { CSSProperties, KeyboardEvent, RefObject } from 'react';
import type { SearchHit } from '../../../../src-main/shared/types';
import { useBridge } from '../../api';
import { useElementWidth } from '../../hooks/use-element-width';
import { CELL_GAP, CELL_SIZE, ROW_HEIGHT, columnsFor, rowWidth } from './grid-layout';
import { indexAfterKey } from './grid-navigation';
import { PhotoCell, cellId } from './PhotoCell';

export interface PhotoGridProps {
  gridRef: RefObject<HTMLDivElement | null>;
  hits: SearchHit[];
  selectedIndex: number | null;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
}

/**
 * [Note: Virtual grid] Only the rows in view (plus a few either side) are in the DOM, so 100,000
 * results cost what 50 do. The virtualiser works on rows of fixed height (see [Note: Fixed grid
 * cells]); the column count follows the window width. The grid is one focusable listbox: arrow
 * keys, Page Up/Down, Home and End move the selection and scroll it into view, Enter opens it.
 */
export function PhotoGrid({ gridRef, hits, selectedIndex, onSelect, onOpen }: PhotoGridProps) {
  const bridge = useBridge();
  const columns = columnsFor(useElementWidth(gridRef));
  // The React Compiler is not used, so the virtualiser's unmemoisable API is fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: Math.ceil(hits.length / columns),
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
  });

  useEffect(() => {
    gridRef.current?.scrollTo({ top: 0 });
  }, [gridRef, hits]);

  useEffect(() => {
    if (selectedIndex !== null) virtualizer.scrollToIndex(Math.floor(selectedIndex / columns));
  }, [virtualizer, selectedIndex, columns]);

  const openCell = useCallback(
    (index: number) => {
      onSelect(index);
      onOpen(index);
    },
    [onSelect, onOpen],
  );

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Enter' && selectedIndex !== null) {
      event.preventDefault();
      onOpen(selectedIndex);
      return;
    }
    const pageRows = Math.max(
      1,
      Math.floor((gridRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT),
    );
    const next = indexAfterKey(event.key, selectedIndex, { count: hits.length, columns, pageRows });
    if (next !== null) {
      event.preventDefault();
      onSelect(next);
    }
  }

  const selectedHit = selectedIndex === null ? undefined : hits[selectedIndex];
  return (
    <div
      ref={gridRef}
      className="photo-grid"
      role="listbox"
      aria-label="Results"
      tabIndex={0}
      aria-activedescendant={selectedHit ? cellId(selectedHit.photoId) : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="photo-grid-rows" style={rowsStyle(virtualizer.getTotalSize(), columns)}>
        {virtualizer.getVirtualItems().map((row) => {
          const first = row.index * columns;
          return (
            <div
              key={row.key}
              className="photo-grid-row"
              role="none"
              style={{ transform: `translateY(${row.start}px)` }}
            >
              {hits.slice(first, first + columns).map((hit, offset) => (
                <PhotoCell
                  key={hit.photoId}
                  hit={hit}
                  index={first + offset}
                  thumbnailUrl={bridge.thumbnailUrl(hit.photoId)}
                  selected={first + offset === selectedIndex}
                  onClick={openCell}
                />
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The stylesheet sizes cells from these variables, so the geometry lives in grid-layout.ts only. */
function rowsStyle(height: number, columns: number): CSSProperties {
  return {
    height,
    width: rowWidth(columns),
    '--cell-size': `${CELL_SIZE}px`,
    '--cell-gap': `${CELL_GAP}px`,
  } as CSSProperties;
}
