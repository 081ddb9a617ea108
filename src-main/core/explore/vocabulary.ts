import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PhotoseekError } from '../../shared/errors';
import type { Embedder } from '../inference/embedder';
import type { TermVectors } from './cluster-names';
import type { ClusterStore } from './cluster-store';

const VOCABULARY_FILE = 'vocabulary.json';
const TEXT_BATCH = 32;

/** A term as a name: lower-case words, no surrounding or doubled spaces. */
const Term = z
  .string()
  .min(1)
  .refine((term) => term === term.toLowerCase() && term === term.trim().replace(/\s+/g, ' '), {
    message: 'a term is lower-case, with single spaces between its words',
  });

const VocabularySchema = z.object({
  prompt: z.string().includes('{term}'),
  /** Kind → terms ("colours", "animals", …); their order is the vocabulary's order. */
  groups: z.record(z.string(), z.array(Term)),
});

/** The everyday terms clusters are named from, and the version they are cached under. */
export interface Vocabulary {
  /** sha256 of the prompt: the key its text vectors are cached under ([Note: Vocabulary text vectors]). */
  version: string;
  prompt: string;
  terms: string[];
}

/**
 * [Note: Vocabulary as data] resources/vocabulary.json: about 4,300 everyday terms of our own
 * (written for Photoseek, no third-party list), grouped by kind: colours, scenes and places,
 * weather and time of day, plants and nature, animals, food and drink, objects, people,
 * activities, events, styles and photo types. Each is phrased to read after the prompt ("a photo
 * of {term}": "sandy beach", "birthday cake", "long exposure") and is shown as the cluster's
 * name. Colours come first, then scenes: relevance calibration scores the first RELEVANCE_TERMS
 * terms (search/relevance.ts). A term listed twice, or not lower-case, is refused: the text
 * tower would embed it twice and two siblings could not tell their names apart.
 */
export function loadVocabulary(resourcesDir: string): Vocabulary {
  const file = path.join(resourcesDir, VOCABULARY_FILE);
  const parsed = VocabularySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new PhotoseekError(
      'INTERNAL',
      `${file} is not a vocabulary: ${issue?.message} (at ${issue?.path.join('.')})`,
    );
  }
  const { prompt, groups } = parsed.data;
  const kindOf = new Map<string, string>();
  for (const [kind, terms] of Object.entries(groups)) {
    for (const term of terms) {
      const earlier = kindOf.get(term);
      if (earlier !== undefined) {
        throw new PhotoseekError(
          'INTERNAL',
          `${file} lists "${term}" twice (in ${earlier === kind ? kind : `${earlier} and ${kind}`}).`,
        );
      }
      kindOf.set(term, kind);
    }
  }
  const terms = [...kindOf.keys()];
  if (terms.length < 2) {
    throw new PhotoseekError('INTERNAL', `${file} is not a vocabulary: it has under two terms.`);
  }
  const version = createHash('sha256').update(prompt).digest('hex').slice(0, 16);
  return { version, prompt, terms };
}

/**
 * [Note: Vocabulary text vectors] The vocabulary's text vectors for one model: read from the
 * cache (term_vectors), the missing ones embedded ("a photo of {term}", TEXT_BATCH at a time,
 * with progress) and saved batch by batch, so that naming cancelled half way keeps what it
 * embedded. A term's vector depends on the model and its text only, so the cache is keyed by the
 * prompt, not by the whole list: terms added to the vocabulary are the only ones embedded again.
 * Terms the model embeds to zero (words it has no direction for) are left out. Embedding all
 * ~4,300 terms with the int8 ViT-B/32 text tower takes about a minute on a loaded 2-core machine
 * (docs/benchmarks.md, "Vocabulary"); that happens once per model, and the CLI and the app show it
 * as the "naming" phase.
 */
export async function termVectorsFor(
  embedder: Embedder,
  store: ClusterStore,
  vocabulary: Vocabulary,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<TermVectors> {
  const known = store.termVectors(embedder.modelId, vocabulary.version);
  const missing = vocabulary.terms.filter((term) => !known.has(term));
  for (let start = 0; start < missing.length; start += TEXT_BATCH) {
    const batch = missing.slice(start, start + TEXT_BATCH);
    const vectors = await embedder.embedTexts(
      batch.map((term) => vocabulary.prompt.replace('{term}', term)),
      options.signal,
    );
    const fresh = new Map(batch.map((term, i) => [term, vectors[i]!]));
    store.saveTermVectors(embedder.modelId, vocabulary.version, fresh);
    for (const [term, vector] of fresh) known.set(term, vector);
    options.onProgress?.(Math.min(start + TEXT_BATCH, missing.length), missing.length);
  }
  const terms: string[] = [];
  const vectors: Float32Array[] = [];
  for (const term of vocabulary.terms) {
    const vector = known.get(term);
    if (vector && vector.some((value) => value !== 0)) {
      terms.push(term);
      vectors.push(vector);
    }
  }
  return { terms, vectors };
}
