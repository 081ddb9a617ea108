/**
 * [Note: Negative terms] "beach -people -\"parking lot\"" searches for beach photos without
 * people or parking lots, like rclip's "-" terms (users ask for it: photoprism#2073). The query
 * vector is the positive text's embedding minus NEGATIVE_WEIGHT times each negative term's
 * embedding, re-normalised. 0.5 keeps the positive meaning dominant while pushing matches of the
 * negative terms well down the ranking.
 */
export const NEGATIVE_WEIGHT = 0.5;

export interface ParsedQuery {
  positive: string;
  negatives: string[];
}

export function parseQueryText(query: string): ParsedQuery {
  const negatives: string[] = [];
  const positive = query
    .replace(/(^|\s)-"([^"]+)"/g, (_match, lead: string, phrase: string) => {
      negatives.push(phrase.trim());
      return lead;
    })
    .replace(/(^|\s)-(\S+)/g, (_match, lead: string, word: string) => {
      negatives.push(word);
      return lead;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return { positive, negatives: negatives.filter((term) => term.length > 0) };
}

export function combineQueryVectors(positive: Float32Array, negatives: readonly Float32Array[]): Float32Array {
  const combined = Float32Array.from(positive);
  for (const negative of negatives) {
    for (let i = 0; i < combined.length; i++) combined[i]! -= NEGATIVE_WEIGHT * negative[i]!;
  }
  let norm = 0;
  for (const value of combined) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < combined.length; i++) combined[i]! /= norm;
  return combined;
}
