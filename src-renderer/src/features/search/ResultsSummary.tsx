import { formatCount, plural } from '../../format';
import type { Matches } from './matches';

export interface ResultsSummaryProps {
  matches: Matches;
  showWeaker: boolean;
  loading: boolean;
}

/** "12 good matches · 988 weaker hidden", or "1,000 matches · 12 good" with the weaker shown. */
export function ResultsSummary({ matches, showWeaker, loading }: ResultsSummaryProps) {
  const { good, total } = matches;
  const weaker = total - good;
  const text = showWeaker
    ? `${plural(total, 'match', 'matches')} · ${formatCount(good)} good`
    : good > 0
      ? `${plural(good, 'good match', 'good matches')}${weaker > 0 ? ` · ${formatCount(weaker)} weaker hidden` : ''}`
      : total > 0
        ? 'No good match'
        : '';
  return (
    <p className="results-summary" role="status" aria-busy={loading}>
      {text}
      {loading && <span className="spinner" aria-label="Searching" />}
    </p>
  );
}
