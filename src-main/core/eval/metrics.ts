/**
 * Retrieval and classification metrics over similarity scores.
 *
 * [Note: Ties count against the model] Equal scores leave a ranking ambiguous, and a sort would
 * settle it by input order, i.e. by luck. Every metric here breaks ties pessimistically: a
 * non-relevant item ranks before a relevant one with the same score, a target ranks after every
 * other item that scores as high, and a zero-shot prediction is correct only when the true class
 * scores strictly highest. A model that gives everything the same score therefore earns 0, never
 * the score of a lucky order.
 */

export interface ScoredItem {
  score: number;
  relevant: boolean;
}

/**
 * AP@k: the mean of precision@i over the ranks i ≤ k that hold a relevant item, divided by
 * min(k, R) where R is the number of relevant items, so 1 means the top min(k, R) are all
 * relevant and every miss costs. Null when nothing is relevant (AP is undefined then).
 */
export function averagePrecisionAtK(items: readonly ScoredItem[], k: number): number | null {
  const relevantCount = items.filter((item) => item.relevant).length;
  if (relevantCount === 0) return null;
  const ranked = [...items].sort(
    (a, b) => b.score - a.score || Number(a.relevant) - Number(b.relevant),
  );
  let hits = 0;
  let sum = 0;
  ranked.slice(0, k).forEach((item, index) => {
    if (!item.relevant) return;
    hits++;
    sum += hits / (index + 1);
  });
  return sum / Math.min(k, relevantCount);
}

/** 1-based rank of `scores[target]`, after every other item scoring at least as high. */
export function pessimisticRank(scores: ArrayLike<number>, target: number): number {
  const own = scores[target]!;
  let rank = 1;
  for (let i = 0; i < scores.length; i++) if (i !== target && scores[i]! >= own) rank++;
  return rank;
}

/** Share of queries whose target ranks within the top k. */
export function recallAtK(ranks: readonly number[], k: number): number {
  return mean(ranks.map((rank) => (rank <= k ? 1 : 0)));
}

/** Whether the true class scores strictly higher than every other class. */
export function isCorrectPrediction(classScores: readonly number[], trueClass: number): boolean {
  const own = classScores[trueClass]!;
  return classScores.every((score, index) => index === trueClass || score < own);
}

/** Arithmetic mean; NaN for no values (a metric with nothing to average over). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
