import type { SearchHit } from '../../../../src-main/shared/types';

/** Weak hits still shown when a query has no good match: what came nearest. */
export const NEAREST_WEAK_HITS = 8;

export interface Matches {
  /** The hits the grid shows. */
  shown: SearchHit[];
  /** Hits the core calls good or strong. */
  good: number;
  total: number;
  /** No hit is good: the grid shows the nearest few, labelled weak. */
  noGoodMatch: boolean;
}

/**
 * [Note: Best matches first] The core marks every hit strong, good or weak for its model
 * ([Note: Relevance cut-off] in src-main/core/search/relevance.ts), so the cut-off is on by
 * default and needs no number from the user: the grid shows the good matches. A query with none
 * shows its nearest NEAREST_WEAK_HITS, labelled weak, rather than nothing or a thousand photos
 * that all look equally relevant. "Show weaker matches" shows every hit.
 */
export function matchesToShow(hits: SearchHit[], showWeaker: boolean): Matches {
  const goodHits = hits.filter((hit) => hit.relevance !== 'weak');
  const noGoodMatch = hits.length > 0 && goodHits.length === 0;
  const shown = showWeaker ? hits : noGoodMatch ? hits.slice(0, NEAREST_WEAK_HITS) : goodHits;
  return { shown, good: goodHits.length, total: hits.length, noGoodMatch };
}
