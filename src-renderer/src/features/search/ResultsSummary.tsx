import { formatCount, formatScore, plural } from '../../format';

export interface ResultsSummaryProps {
  shown: number;
  total: number;
  minScore: number;
  loading: boolean;
  onShowAll: () => void;
}

/** "Showing 42 of 1,000 · 958 below 0.25 hidden [Show all]" */
export function ResultsSummary({
  shown,
  total,
  minScore,
  loading,
  onShowAll,
}: ResultsSummaryProps) {
  const hidden = total - shown;
  return (
    <p className="results-summary" role="status" aria-busy={loading}>
      {hidden > 0 ? (
        <>
          Showing {formatCount(shown)} of {plural(total, 'photo', 'photos')} · {formatCount(hidden)}{' '}
          below {formatScore(minScore)} hidden{' '}
          <button type="button" className="link-button" onClick={onShowAll}>
            Show all
          </button>
        </>
      ) : (
        plural(total, 'photo', 'photos')
      )}
      {loading && <span className="spinner" aria-label="Searching" />}
    </p>
  );
}
