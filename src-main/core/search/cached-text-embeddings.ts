import type { Embedder } from '../inference/embedder';

/** Recent queries kept, as Immich does (its smart search keeps 100). */
export const RECENT_QUERIES = 100;

/**
 * [Note: Recent query embeddings] The same text comes back often: the query typed again, a
 * negative term added to it ("beach -people" embeds "beach" again), a search repeated after an
 * index run. An embedding depends only on the text and the model, so the search keeps the last
 * RECENT_QUERIES of them and the text tower runs for the new texts only. The cache belongs to one
 * embedder (one model), so switching models never answers with another model's vector. Least
 * recently used first out (a Map keeps insertion order; a hit is moved to the end). Callers get
 * copies: a caller that combines vectors in place cannot change a cached one.
 */
export function withRecentTextEmbeddings(embedder: Embedder, capacity = RECENT_QUERIES): Embedder {
  const recent = new Map<string, Float32Array>();

  function remember(text: string, vector: Float32Array): void {
    recent.delete(text);
    recent.set(text, vector);
    while (recent.size > capacity) recent.delete(recent.keys().next().value!);
  }

  return {
    get modelId() {
      return embedder.modelId;
    },
    get dim() {
      return embedder.dim;
    },
    get hasTextTower() {
      return embedder.hasTextTower;
    },
    provider: () => embedder.provider(),
    embedImages: (pixelTensors, signal) => embedder.embedImages(pixelTensors, signal),
    dispose: () => embedder.dispose(),

    async embedTexts(texts, signal) {
      const known = new Map<string, Float32Array>();
      for (const text of texts) {
        const vector = recent.get(text);
        if (vector) known.set(text, vector);
      }
      const missing = [...new Set(texts.filter((text) => !known.has(text)))];
      if (missing.length > 0) {
        const vectors = await embedder.embedTexts(missing, signal);
        missing.forEach((text, i) => known.set(text, vectors[i]!));
      }
      for (const [text, vector] of known) remember(text, vector);
      return texts.map((text) => Float32Array.from(known.get(text)!));
    },
  };
}
