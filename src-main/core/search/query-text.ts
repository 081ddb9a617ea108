import { PhotoseekError } from '../../shared/errors';
import { splitQueryTerms, type ParsedQuery } from '../../shared/query-terms';

/**
 * [Note: Negative terms] "beach -people -\"parking lot\"" searches for beach photos without
 * people or parking lots, like rclip's "-" terms (users ask for it: photoprism#2073). The query
 * vector is the positive text's embedding minus NEGATIVE_WEIGHT times each negative term's
 * embedding, re-normalised. 0.5 keeps the positive meaning dominant while pushing matches of the
 * negative terms well down the ranking.
 */
export const NEGATIVE_WEIGHT = 0.5;

/**
 * [Note: Query length] CLIP's text tower reads 77 tokens (75 after the start and end markers) and
 * the tokenizer cuts anything longer ([Note: Query truncation]); 75 English tokens are about
 * 300 characters. A query of more than 1,000 characters is therefore not a description the model
 * can read but a paste gone wrong, so it is refused with BAD_ARGUMENT instead of being silently
 * cut: the person learns that only the start would have counted. (It also keeps such text off the
 * CLI's command line, where it crashed onnxruntime: see [Note: Command-line size] in src-main/cli.)
 */
export const MAX_QUERY_CHARS = 1000;

export type { ParsedQuery };

/** Splits a query into its positive text and "-" terms; refuses one over MAX_QUERY_CHARS. */
export function parseQueryText(query: string): ParsedQuery {
  assertQueryLength(query);
  return splitQueryTerms(query);
}

/** Throws BAD_ARGUMENT, with the reason, for a query longer than MAX_QUERY_CHARS. */
export function assertQueryLength(query: string): void {
  if (query.length <= MAX_QUERY_CHARS) return;
  throw new PhotoseekError(
    'BAD_ARGUMENT',
    `The query is ${query.length.toLocaleString('en-US')} characters long; Photoseek takes at most ${MAX_QUERY_CHARS.toLocaleString('en-US')}. ` +
      'The model reads only about the first 75 words anyway: describe what to look for in a sentence or two.',
  );
}

export function combineQueryVectors(
  positive: Float32Array,
  negatives: readonly Float32Array[],
): Float32Array {
  const combined = Float32Array.from(positive);
  for (const negative of negatives) {
    for (let i = 0; i < combined.length; i++) combined[i]! -= NEGATIVE_WEIGHT * negative[i]!;
  }
  return unitLength(combined);
}

/** Scales `vector` in place to length 1 (a zero vector stays zero); returns it. */
export function unitLength(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
