import type { RefObject } from 'react';
import type { SearchHit } from '../../../../src-main/shared/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatScore, plural } from '../../format';
import { PhotoGrid } from '../grid/PhotoGrid';
import { ImageQueryChip } from './ImageQueryChip';
import { ResultsSummary } from './ResultsSummary';
import { ScoreFilter } from './ScoreFilter';
import type { ImageQuery } from './search-request';
import type { SearchResults } from './use-search-results';

export interface SearchResultsViewProps {
  gridRef: RefObject<HTMLDivElement | null>;
  imageQuery: ImageQuery | null;
  results: SearchResults;
  visibleHits: SearchHit[];
  minScore: number;
  onMinScoreChange: (minScore: number) => void;
  selectedIndex: number | null;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  onClearImage: () => void;
}

/** The answer to a query: what was asked, how many matched and were hidden, and the grid. */
export function SearchResultsView(props: SearchResultsViewProps) {
  const { results, visibleHits, minScore, imageQuery } = props;
  const total = results.hits.length;
  const waitingForFirstAnswer = results.loading && total === 0;
  return (
    <div className="results">
      <div className="results-toolbar">
        {imageQuery && <ImageQueryChip query={imageQuery} onClear={props.onClearImage} />}
        <ResultsSummary
          shown={visibleHits.length}
          total={total}
          minScore={minScore}
          loading={results.loading}
          onShowAll={() => props.onMinScoreChange(0)}
        />
        <ScoreFilter minScore={minScore} onChange={props.onMinScoreChange} />
      </div>
      {results.error ? (
        <ErrorMessage title="The search failed" message={results.error} />
      ) : waitingForFirstAnswer ? null : total === 0 ? (
        <EmptyState icon="search" title="No photos found">
          <p>Try other words, or check that your folders have finished indexing.</p>
        </EmptyState>
      ) : visibleHits.length === 0 ? (
        <EmptyState icon="search" title={`No matches scored ${formatScore(minScore)} or more`}>
          <p>
            {plural(total, 'weaker match is', 'weaker matches are')} hidden by the score cut-off.
          </p>
          <button type="button" className="button" onClick={() => props.onMinScoreChange(0)}>
            Show all {plural(total, 'match', 'matches')}
          </button>
        </EmptyState>
      ) : (
        <PhotoGrid
          gridRef={props.gridRef}
          hits={visibleHits}
          selectedIndex={props.selectedIndex}
          onSelect={props.onSelect}
          onOpen={props.onOpen}
        />
      )}
    </div>
  );
}
