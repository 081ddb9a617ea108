import type { Relevance } from '../../../../src-main/shared/types';
import { formatScore } from '../../format';

const BARS: Record<Relevance, number> = { weak: 1, good: 2, strong: 3 };

/** "Strong match, score 0.31": the words a tooltip and a screen reader get. */
export function describeMatch(relevance: Relevance, score: number): string {
  const label = relevance === 'strong' ? 'Strong' : relevance === 'good' ? 'Good' : 'Weak';
  return `${label} match, score ${formatScore(score)}`;
}

/**
 * A search hit's strength as one to three bars ([Note: Best matches first]); the exact score is
 * in the title, and in the cell's accessible name.
 */
export function MatchStrength({ relevance, score }: { relevance: Relevance; score: number }) {
  const bars = BARS[relevance];
  return (
    <span
      className="match-strength"
      data-relevance={relevance}
      title={describeMatch(relevance, score)}
      aria-hidden="true"
    >
      {[1, 2, 3].map((bar) => (
        <span key={bar} className="match-strength-bar" data-on={bar <= bars || undefined} />
      ))}
    </span>
  );
}
