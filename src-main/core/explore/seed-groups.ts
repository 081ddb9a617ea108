import type { SimilarPair } from './similar-pairs';

/** A group: its seed and the other members (each within the threshold of all), with their similarity to the seed. */
export interface SeedGroup {
  seed: number;
  members: { index: number; similarity: number }[];
}

/**
 * [Note: Groups without chaining] Linking every pair above the threshold would chain a burst
 * into a drift (A≈B, B≈C, … Z unlike A). Instead groups are average-linkage, grown greedily from
 * seeds: the photo with the most near-duplicates seeds first (ties: the lower index), then its
 * neighbours that no group holds yet join, most similar to the seed first, each only when its
 * MEAN similarity to the members so far (seed included) reaches the threshold; and so on. Each
 * photo is in one group at most. Measured on the MobileNetV2 test
 * (test/core/explore/duplicates.test.ts): seed-only linkage (near the seed alone) P 0.924 /
 * R 0.967, complete linkage (near every member) P 0.972 / R 0.760, average P 0.922 / R 0.944.
 * Average keeps a crop whose other edits drift just below the threshold; complete drops it.
 */
export function seedGroups(
  pairs: readonly SimilarPair[],
  threshold: number,
  similarity: (a: number, b: number) => number,
): SeedGroup[] {
  const neighbours = new Map<number, Map<number, number>>();
  const link = (from: number, to: number, similarity: number) => {
    const list = neighbours.get(from) ?? new Map<number, number>();
    list.set(to, similarity);
    neighbours.set(from, list);
  };
  for (const { a, b, similarity } of pairs) {
    link(a, b, similarity);
    link(b, a, similarity);
  }
  const seeds = [...neighbours.keys()].sort(
    (x, y) => neighbours.get(y)!.size - neighbours.get(x)!.size || x - y,
  );
  const grouped = new Set<number>();
  const groups: SeedGroup[] = [];
  for (const seed of seeds) {
    if (grouped.has(seed)) continue;
    const candidates = [...neighbours.get(seed)!]
      .filter(([index]) => !grouped.has(index))
      .map(([index, similarity]) => ({ index, similarity }))
      .sort((x, y) => y.similarity - x.similarity || x.index - y.index);
    const members: SeedGroup['members'] = [];
    for (const candidate of candidates) {
      const total = members.reduce(
        (sum, member) => sum + similarity(candidate.index, member.index),
        candidate.similarity,
      );
      if (total / (members.length + 1) >= threshold) members.push(candidate);
    }
    if (members.length === 0) continue;
    grouped.add(seed);
    for (const member of members) grouped.add(member.index);
    groups.push({ seed, members });
  }
  return groups;
}
