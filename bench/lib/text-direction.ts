import { createEmbedder } from '../../src-main/core/inference/embedder';
import type { InstalledModel } from '../../src-main/core/models/installed-model';
import { normalise } from './clustered-embeddings';
import { queryTexts } from './query-texts';

/**
 * The unit mean of a model's embeddings of the bench query texts: where the random-weight text
 * tower sends queries ([Note: Aligning the library with the bench text tower]).
 */
export async function meanTextDirection(model: InstalledModel): Promise<Float32Array> {
  const embedder = createEmbedder(model);
  try {
    const vectors = await embedder.embedTexts(queryTexts(32));
    const mean = new Float32Array(model.spec.embeddingDim);
    for (const vector of vectors) vector.forEach((value, i) => (mean[i]! += value));
    return normalise(mean);
  } finally {
    await embedder.dispose();
  }
}
