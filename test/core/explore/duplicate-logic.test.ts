import { describe, expect, it } from 'vitest';
import { bestCopy } from '../../../src-main/core/explore/best-copy';
import { seedGroups } from '../../../src-main/core/explore/seed-groups';
import { similarPairs } from '../../../src-main/core/explore/similar-pairs';
import { seededRandom } from '../../../src-main/core/seeded-random';
import type { DuplicatePhoto } from '../../../src-main/shared/types';

/** n random unit vectors, then for each of `planted` of them a copy moved to cosine ≈ `near`. */
function plantedVectors(n: number, dim: number, planted: number, near: number, seed: number) {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const vectors = new Float32Array((n + planted) * dim);
  const unit = (at: number) => {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += vectors[at + d]! ** 2;
    for (let d = 0; d < dim; d++) vectors[at + d]! /= Math.sqrt(norm);
  };
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = gaussian() + 0.5; // a shared offset, as post-ReLU features have
    unit(i * dim);
  }
  const noise = Math.sqrt(1 / (near * near) - 1) / Math.sqrt(dim);
  for (let p = 0; p < planted; p++) {
    const at = (n + p) * dim;
    for (let d = 0; d < dim; d++) vectors[at + d] = vectors[p * dim + d]! + noise * gaussian();
    unit(at);
  }
  return vectors;
}

function bruteForcePairs(vectors: Float32Array, dim: number, threshold: number): Set<string> {
  const n = vectors.length / dim;
  const pairs = new Set<string>();
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += vectors[a * dim + d]! * vectors[b * dim + d]!;
      if (sum >= threshold) pairs.add(`${a}-${b}`);
    }
  }
  return pairs;
}

describe('similarPairs (LSH candidates, verified exactly)', () => {
  it('finds the planted near-copies that brute force finds, and nothing below the threshold', () => {
    const dim = 64;
    const vectors = plantedVectors(3000, dim, 200, 0.95, 3);
    const truth = bruteForcePairs(vectors, dim, 0.9);
    expect(truth.size).toBeGreaterThanOrEqual(200);
    const found = similarPairs(vectors, dim, 0.9);
    const keys = new Set(found.map(({ a, b }) => `${a}-${b}`));
    const recalled = [...truth].filter((pair) => keys.has(pair)).length;
    expect(recalled / truth.size).toBeGreaterThan(0.97);
    for (const pair of found) expect(pair.similarity).toBeGreaterThanOrEqual(0.9);
    for (const key of keys) expect(truth.has(key)).toBe(true);
  });

  it('gives nothing for fewer than two vectors and honours a cancel', () => {
    expect(similarPairs(new Float32Array(8), 8, 0.5)).toEqual([]);
    const cancel = new AbortController();
    cancel.abort();
    expect(() =>
      similarPairs(plantedVectors(10, 8, 2, 0.99, 1), 8, 0.5, { signal: cancel.signal }),
    ).toThrow();
  });
});

describe('seedGroups', () => {
  it('does not chain a drift: A≈B≈C but A and C apart', () => {
    const similarity = new Map([
      ['0-1', 0.95],
      ['1-2', 0.95],
      ['0-2', 0.6],
    ]);
    const lookup = (a: number, b: number) => similarity.get(`${Math.min(a, b)}-${Math.max(a, b)}`)!;
    const groups = seedGroups(
      [
        { a: 0, b: 1, similarity: 0.95 },
        { a: 1, b: 2, similarity: 0.95 },
      ],
      0.9,
      lookup,
    );
    // 1 has the most neighbours and seeds; 0 joins (mean 0.95); 2's mean is (0.95 + 0.6) / 2.
    expect(groups).toEqual([{ seed: 1, members: [{ index: 0, similarity: 0.95 }] }]);
  });

  it('puts each photo in one group at most', () => {
    const pairs = [
      { a: 0, b: 1, similarity: 0.99 },
      { a: 0, b: 2, similarity: 0.98 },
      { a: 1, b: 2, similarity: 0.97 },
      { a: 3, b: 4, similarity: 0.96 },
    ];
    const groups = seedGroups(pairs, 0.9, () => 0.97);
    const members = groups.flatMap((group) => [group.seed, ...group.members.map((m) => m.index)]);
    expect(members.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(groups).toHaveLength(2);
  });
});

describe('bestCopy', () => {
  const photo = (photoId: number, changes: Partial<DuplicatePhoto>): DuplicatePhoto => ({
    photoId,
    path: `/p/${photoId}.jpg`,
    width: 400,
    height: 300,
    bytes: 1000,
    takenAt: null,
    camera: null,
    hasGps: false,
    similarity: 1,
    ...changes,
  });

  it('prefers resolution, then metadata, then file size, and says which decided', () => {
    expect(bestCopy([photo(1, {}), photo(2, { width: 800, height: 600 })])).toEqual({
      photoId: 2,
      reason: 'largest resolution (800×600)',
    });
    expect(bestCopy([photo(1, { bytes: 5000 }), photo(2, { takenAt: 1, hasGps: true })])).toEqual({
      photoId: 2,
      reason: 'most complete metadata (date, GPS)',
    });
    expect(bestCopy([photo(1, {}), photo(2, { bytes: 2000 })])).toEqual({
      photoId: 2,
      reason: 'largest file',
    });
  });
});
