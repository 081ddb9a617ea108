import { describe, expect, it } from 'vitest';
import type { Embedder } from '../../src-main/core/inference/embedder';
import { withRecentTextEmbeddings } from '../../src-main/core/search/cached-text-embeddings';

/** A text tower that records what it was asked to run: a fake for the cache's logic only. */
function countingEmbedder(): Embedder & { runs: string[][] } {
  const runs: string[][] = [];
  return {
    runs,
    modelId: 'counting',
    dim: 2,
    hasTextTower: true,
    provider: () => 'cpu',
    embedImages: () => Promise.resolve([]),
    embedTexts: (texts) => {
      runs.push(texts);
      return Promise.resolve(texts.map((text) => Float32Array.of(text.length, 1)));
    },
    dispose: () => Promise.resolve(),
  };
}

describe('recent text embeddings', () => {
  it('runs the text tower only for texts it has not seen', async () => {
    const tower = countingEmbedder();
    const cached = withRecentTextEmbeddings(tower);
    const first = await cached.embedTexts(['beach', 'people']);
    const again = await cached.embedTexts(['beach', 'dog', 'beach']);
    expect(tower.runs).toEqual([['beach', 'people'], ['dog']]);
    expect(again.map((vector) => [...vector])).toEqual([
      [5, 1],
      [3, 1],
      [5, 1],
    ]);
    expect([...first[0]!]).toEqual([5, 1]);
  });

  it('forgets the least recently used text first', async () => {
    const tower = countingEmbedder();
    const cached = withRecentTextEmbeddings(tower, 2);
    await cached.embedTexts(['a']);
    await cached.embedTexts(['b']);
    await cached.embedTexts(['a']); // a is now the most recent
    await cached.embedTexts(['c']); // b goes
    await cached.embedTexts(['a', 'b']);
    expect(tower.runs).toEqual([['a'], ['b'], ['c'], ['b']]);
  });

  it('hands out copies, so a caller that changes a vector cannot change the cache', async () => {
    const cached = withRecentTextEmbeddings(countingEmbedder());
    const [vector] = await cached.embedTexts(['sunset']);
    vector!.fill(0);
    const [again] = await cached.embedTexts(['sunset']);
    expect([...again!]).toEqual([6, 1]);
  });

  it('caches nothing when the tower fails, and passes the failure on', async () => {
    const tower = countingEmbedder();
    let fail = true;
    const flaky: Embedder = {
      ...tower,
      embedTexts: (texts) =>
        fail ? Promise.reject(new Error('no text tower')) : tower.embedTexts(texts),
    };
    const cached = withRecentTextEmbeddings(flaky);
    await expect(cached.embedTexts(['red'])).rejects.toThrow('no text tower');
    fail = false;
    await cached.embedTexts(['red']);
    expect(tower.runs).toEqual([['red']]);
  });
});
