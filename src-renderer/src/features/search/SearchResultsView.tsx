import type { RefObject } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { plural } from '../../format';
import { PhotoGrid } from '../grid/PhotoGrid';
import { ImageQueryChip } from './ImageQueryChip';
import type { Matches } from './matches';
import { ResultsSummary } from './ResultsSummary';
import type { ImageQuery, SearchRequest } from './search-request';
import type { SearchResults } from './use-search-results';
import { WeakerMatchesToggle } from './WeakerMatchesToggle';

export interface SearchResultsViewProps {
  gridRef: RefObject<HTMLDivElement | null>;
  request: SearchRequest;
  imageQuery: ImageQuery | null;
  results: SearchResults;
  matches: Matches;
  showWeaker: boolean;
  onShowWeakerChange: (showWeaker: boolean) => void;
  selectedIndex: number | null;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  onClearImage: () => void;
}

/** The answer to a query: what was asked, how many good matches, and the grid. */
export function SearchResultsView(props: SearchResultsViewProps) {
  const { results, matches, showWeaker, imageQuery } = props;
  const waitingForFirstAnswer = results.loading && matches.total === 0;
  const query = describeQuery(props.request);
  const grid = (
    <PhotoGrid
      gridRef={props.gridRef}
      hits={matches.shown}
      selectedIndex={props.selectedIndex}
      onSelect={props.onSelect}
      onOpen={props.onOpen}
    />
  );
  return (
    <div className="results">
      <div className="results-toolbar">
        {imageQuery && <ImageQueryChip query={imageQuery} onClear={props.onClearImage} />}
        <ResultsSummary matches={matches} showWeaker={showWeaker} loading={results.loading} />
        <WeakerMatchesToggle
          showWeaker={showWeaker}
          disabled={matches.good === matches.total}
          onChange={props.onShowWeakerChange}
        />
      </div>
      {results.error ? (
        <ErrorMessage title="The search failed" message={results.error} />
      ) : waitingForFirstAnswer ? null : matches.total === 0 ? (
        <EmptyState icon="search" title="No photos found">
          <p>Try other words, or check that your folders have finished indexing.</p>
        </EmptyState>
      ) : matches.noGoodMatch && !showWeaker ? (
        <>
          <section className="no-good-match" aria-labelledby="no-good-match-title">
            <h2 id="no-good-match-title">No good match for {query}</h2>
            <p>
              None of your photos matches it well. The{' '}
              {plural(matches.shown.length, 'photo', 'photos')} below came nearest; they are marked
              weak.
            </p>
            <button type="button" className="button" onClick={() => props.onShowWeakerChange(true)}>
              Show all {plural(matches.total, 'match', 'matches')}
            </button>
          </section>
          {grid}
        </>
      ) : (
        grid
      )}
    </div>
  );
}

/** The query as "No good match for …" names it. */
function describeQuery(request: SearchRequest): string {
  switch (request.kind) {
    case 'text':
      return `“${request.text}”`;
    case 'combined':
      return `${request.example.label} with “${request.text}”`;
    default:
      return request.label;
  }
}
