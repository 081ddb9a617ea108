import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PhotoseekError } from '../../shared/errors';
import type { Embedder } from '../embed/embedder';
import type { TermVectors } from './cluster-names';
import type { ClusterStore } from './cluster-store';

const VOCABULARY_FILE = 'vocabulary.json';
const TEXT_BATCH = 32;

const VocabularySchema = z.object({
  prompt: z.string().includes('{term}'),
  terms: z.array(z.string().min(1)).min(2),
});

/** The everyday terms clusters are named from, and the version they are cached under. */
export interface Vocabulary {
  /** sha256 of the file's prompt and terms: a changed vocabulary is embedded again. */
  version: string;
  prompt: string;
  terms: string[];
}

/** resources/vocabulary.json: colours, scenes, objects, food, animals, people, activities, styles. */
export function loadVocabulary(resourcesDir: string): Vocabulary {
  const file = path.join(resourcesDir, VOCABULARY_FILE);
  const parsed = VocabularySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new PhotoseekError(
      'INTERNAL',
      `${file} is not a vocabulary: ${parsed.error.issues[0]?.message}`,
    );
  }
  const { prompt, terms } = parsed.data;
  const version = createHash('sha256')
    .update(JSON.stringify({ prompt, terms }))
    .digest('hex')
    .slice(0, 16);
  return { version, prompt, terms };
}

/**
 * The vocabulary's text vectors for one model: read from the cache (term_vectors), the missing
 * ones embedded ("a photo of {term}", in batches) and saved. Terms the model embeds to zero
 * (words it has no direction for) are left out.
 */
export async function termVectorsFor(
  embedder: Embedder,
  store: ClusterStore,
  vocabulary: Vocabulary,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<TermVectors> {
  const cached = store.termVectors(embedder.modelId, vocabulary.version);
  const missing = vocabulary.terms.filter((term) => !cached.has(term));
  const fresh = new Map<string, Float32Array>();
  for (let start = 0; start < missing.length; start += TEXT_BATCH) {
    const batch = missing.slice(start, start + TEXT_BATCH);
    const vectors = await embedder.embedTexts(
      batch.map((term) => vocabulary.prompt.replace('{term}', term)),
      options.signal,
    );
    batch.forEach((term, i) => fresh.set(term, vectors[i]!));
    options.onProgress?.(Math.min(start + TEXT_BATCH, missing.length), missing.length);
  }
  if (fresh.size > 0) store.saveTermVectors(embedder.modelId, vocabulary.version, fresh);
  const terms: string[] = [];
  const vectors: Float32Array[] = [];
  for (const term of vocabulary.terms) {
    const vector = cached.get(term) ?? fresh.get(term);
    if (vector && vector.some((value) => value !== 0)) {
      terms.push(term);
      vectors.push(vector);
    }
  }
  return { terms, vectors };
}
