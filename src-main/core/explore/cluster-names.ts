import path from 'node:path';
import { dot } from '../vector-math';

/** The vocabulary with one unit-length text vector per term (zero vectors are left out). */
export interface TermVectors {
  terms: readonly string[];
  vectors: readonly Float32Array[];
}

/**
 * [Note: Cluster names from the text tower] Each sibling cluster gets the vocabulary term whose
 * text vector is most similar to its centroid, minus half that term's mean similarity to the
 * other siblings: a term as close to every sibling ("photo") loses to one close to this cluster
 * only. With the full mean subtracted, two near-identical siblings were named by whichever term
 * told them apart best, however far it was from both ("beach" and "photo" for two beach
 * clusters, test/core/explore/cluster-names.test.ts); half keeps the names on the clusters. Siblings never share a name: the pairs are taken best first, each term and each
 * cluster once (greedy; optimal enough for ≤ 40 siblings and a few thousand terms). `taken`
 * holds names already used above (a child is not named like its parent). The vocabulary is
 * data (resources/vocabulary.json); its text vectors are cached per model (cluster-store.ts).
 */
const SHARED_WEIGHT = 0.5;

export function namesFromText(
  centroids: readonly Float32Array[],
  vocabulary: TermVectors,
  taken: ReadonlySet<string> = new Set(),
): string[] {
  const similarity = centroids.map((centroid) =>
    vocabulary.vectors.map((term) => dot(centroid, term)),
  );
  const scored: { cluster: number; term: number; score: number }[] = [];
  similarity.forEach((row, cluster) => {
    row.forEach((value, term) => {
      if (taken.has(vocabulary.terms[term]!)) return;
      const others = similarity.reduce(
        (sum, other, i) => (i === cluster ? sum : sum + other[term]!),
        0,
      );
      const shared = centroids.length > 1 ? others / (centroids.length - 1) : 0;
      scored.push({ cluster, term, score: value - SHARED_WEIGHT * shared });
    });
  });
  // Stable sort: on a tie the term listed first in the vocabulary wins.
  scored.sort((a, b) => b.score - a.score);
  // Filled, not `new Array(n)`: map() skips the holes of a sparse array, which left a cluster
  // without a term (more siblings than usable terms) with no name at all.
  const names: (string | undefined)[] = Array.from({ length: centroids.length }, () => undefined);
  const used = new Set<number>();
  for (const { cluster, term } of scored) {
    if (names[cluster] !== undefined || used.has(term)) continue;
    names[cluster] = vocabulary.terms[term];
    used.add(term);
  }
  return uniqueNames(names.map((name, i) => name ?? `Group ${i + 1}`));
}

/** What an image-only model's clusters are named by: each member's folder and date. */
export interface MemberFacts {
  dirPath: string;
  takenAt: number | null;
}

/**
 * [Note: Cluster names without a text tower] An image-only model cannot read words, so a cluster
 * is named by its members: the folder most of them are in and the years they span
 * ("Iceland · 2019", "Beach · 2018–2021"), or the folder alone when none has a date. Siblings that
 * come out alike get " (2)", " (3)" to stay apart.
 */
export function namesFromMembers(clusters: readonly (readonly MemberFacts[])[]): string[] {
  return uniqueNames(clusters.map(nameFromMembers));
}

function nameFromMembers(members: readonly MemberFacts[]): string {
  const folders = new Map<string, number>();
  for (const member of members) {
    const folder = path.basename(member.dirPath);
    folders.set(folder, (folders.get(folder) ?? 0) + 1);
  }
  const [folder] = [...folders].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [
    'Photos',
  ];
  let first = Infinity;
  let last = -Infinity;
  for (const { takenAt } of members) {
    if (takenAt === null) continue;
    const year = new Date(takenAt).getUTCFullYear();
    first = Math.min(first, year);
    last = Math.max(last, year);
  }
  if (first === Infinity) return folder;
  return `${folder} · ${first === last ? first : `${first}–${last}`}`;
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}
