import type { ReactNode, RefObject } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { plural } from '../../format';
import { TimelineGrid } from './TimelineGrid';
import type { PhotoMarks } from './use-photo-marks';
import type { Timeline } from './use-timeline';

export interface HomeViewProps {
  gridRef: RefObject<HTMLDivElement | null>;
  timeline: Timeline;
  marks: PhotoMarks;
  onOpen: (position: number) => void;
  /** Searches for photos like the marked ones ("More like these"). */
  onMoreLikeThese: (photoIds: number[]) => void;
  /** Example searches, shown while nothing is marked. */
  examples: ReactNode;
}

/** Home: every photo in the library, newest first, by month; several can be marked and searched by. */
export function HomeView(props: HomeViewProps) {
  const { gridRef, timeline, marks, onOpen, onMoreLikeThese, examples } = props;
  if (timeline.error && !timeline.ready) {
    return <ErrorMessage title="Could not list the photos" message={timeline.error} />;
  }
  if (!timeline.ready) return null;
  if (timeline.total === 0) {
    return (
      <EmptyState icon="search" title="No photos indexed yet">
        <p>Your photos appear here, newest first, as they are indexed.</p>
      </EmptyState>
    );
  }
  return (
    <div className="results home">
      <div className="results-toolbar">
        <span className="results-summary">
          {marks.marked.length > 0
            ? `${plural(marks.marked.length, 'photo', 'photos')} selected of ${timeline.total.toLocaleString()}`
            : `${plural(timeline.total, 'photo', 'photos')} · Ctrl-click to select`}
        </span>
        {marks.marked.length > 0 ? (
          <>
            <button type="button" className="button" onClick={marks.clear}>
              Clear selection
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => onMoreLikeThese([...marks.marked])}
            >
              <Icon name="search" /> More like these
            </button>
          </>
        ) : (
          examples
        )}
      </div>
      <TimelineGrid gridRef={gridRef} timeline={timeline} marks={marks} onOpen={onOpen} />
    </div>
  );
}
