import path from 'node:path';
import { dot } from '../vector-math';

/** The vocabulary with one unit-length text vector per term (zero vectors are left out). */
export interface TermVectors {
  terms: readonly string[];
  vectors: readonly Float32Array[];
}

/** What a cluster's members tell about it: each one's folder, date and camera. */
export interface MemberFacts {
  dirPath: string;
  takenAt: number | null;
  camera: string | null;
}

/** One of the clusters named together (the top level, or one cluster's children). */
export interface SiblingCluster {
  centroid: Float32Array;
  /** Read only for a cluster no term fits (or when the model has no text tower). */
  members: () => readonly MemberFacts[];
}

/**
 * Names for siblings: a vocabulary term where one fits ([Note: Cluster names from the text
 * tower]), otherwise what the members tell ([Note: Cluster names without a text tower]). No two
 * siblings share a name, and none takes a name in `taken` (the parent's).
 */
export function nameSiblings(
  siblings: readonly SiblingCluster[],
  vocabulary: TermVectors | null,
  taken: ReadonlySet<string> = new Set(),
): string[] {
  const terms = vocabulary
    ? termsForClusters(
        siblings.map((sibling) => sibling.centroid),
        vocabulary,
        taken,
      )
    : siblings.map(() => undefined);
  return withMemberNames(
    terms,
    siblings.map((sibling) => sibling.members),
    taken,
  );
}

/**
 * [Note: Cluster names from the text tower] A term is usable for a cluster only if the cluster
 * is the sibling it fits best (highest cosine to the centroid, ties allowed) and it points towards
 * it at all (cosine > 0): so each name fits its own cluster better than any sibling, and a
 * cluster no term singles out is named by its members instead (the synthetic colour model knows
 * nine colour words; a library of fourteen colour mixtures left five clusters "Group n"). Among its
 * usable terms a cluster takes the best by its cosine minus half the term's mean cosine to the
 * other siblings, so a term about as close to every sibling ("photo", "travel") loses to one close
 * to this cluster only. With the full mean subtracted, two near-identical siblings were named by
 * whichever term told them apart best, however far it was from both ("beach" and "photo" for two
 * beach clusters, test/core/explore/cluster-names.test.ts); half keeps the names on the clusters.
 * At the top level the siblings are the whole library, so this is also the term's mean over the
 * library; inside a cluster the children are contrasted with each other, and the parent's name is
 * `taken`. Pairs are taken best first, each term and each cluster once. Cost: k × terms dot
 * products and a sort of at most `terms` pairs (40 clusters × 4,266 terms × 512: bench/
 * vocabulary.bench.ts). The vocabulary is data ([Note: Vocabulary as data]); its text vectors
 * are cached per model ([Note: Vocabulary text vectors]).
 */
const SHARED_WEIGHT = 0.5;

/** Per centroid, the vocabulary term it is named by, or undefined when none is usable. */
export function termsForClusters(
  centroids: readonly Float32Array[],
  vocabulary: TermVectors,
  taken: ReadonlySet<string> = new Set(),
): (string | undefined)[] {
  const similarity = centroids.map((centroid) =>
    Float32Array.from(vocabulary.vectors, (term) => dot(centroid, term)),
  );
  const usable: { cluster: number; term: number; score: number }[] = [];
  vocabulary.terms.forEach((name, term) => {
    if (taken.has(name)) return;
    let sum = 0;
    let best = -Infinity;
    for (const row of similarity) {
      sum += row[term]!;
      best = Math.max(best, row[term]!);
    }
    similarity.forEach((row, cluster) => {
      const value = row[term]!;
      if (value <= 0 || value < best) return;
      const others = centroids.length > 1 ? (sum - value) / (centroids.length - 1) : 0;
      usable.push({ cluster, term, score: value - SHARED_WEIGHT * others });
    });
  });
  // Stable sort: on a tie the term listed first in the vocabulary wins.
  usable.sort((a, b) => b.score - a.score);
  const names: (string | undefined)[] = centroids.map(() => undefined);
  const used = new Set<number>();
  for (const { cluster, term } of usable) {
    if (names[cluster] !== undefined || used.has(term)) continue;
    names[cluster] = vocabulary.terms[term];
    used.add(term);
  }
  return names;
}

/**
 * [Note: Cluster names without a text tower] An image-only model cannot read words, and a
 * model's text tower may have no term for a cluster: such a cluster is named by its members, by
 * the folder most of them are in and the years they span ("Iceland · 2019", "Beach ·
 * 2018–2021"), or the folder alone when none has a date. Where that comes out like a sibling's
 * name or the parent's, the camera most of them were taken with is added ("Phone · 2020 · Pixel
 * 7"), and what is still alike gets " (2)", " (3)".
 */
function withMemberNames(
  terms: readonly (string | undefined)[],
  members: readonly (() => readonly MemberFacts[])[],
  taken: ReadonlySet<string>,
): string[] {
  const facts = terms.map((term, i) => (term === undefined ? members[i]!() : undefined));
  const bases = facts.map((cluster) => (cluster ? folderAndYears(cluster) : undefined));
  const named = terms.map((term, i) => {
    const base = bases[i];
    if (base === undefined) return term!;
    const alike =
      taken.has(base) || terms.includes(base) || bases.filter((other) => other === base).length > 1;
    const camera = alike ? dominantCamera(facts[i]!) : undefined;
    return camera === undefined ? base : `${base} · ${camera}`;
  });
  const used = new Set(taken);
  return named.map((name) => {
    let unique = name;
    for (let count = 2; used.has(unique); count++) unique = `${name} (${count})`;
    used.add(unique);
    return unique;
  });
}

function folderAndYears(members: readonly MemberFacts[]): string {
  const folder = mostCommon(members.map((member) => path.basename(member.dirPath))) ?? 'Photos';
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

function dominantCamera(members: readonly MemberFacts[]): string | undefined {
  return mostCommon(members.flatMap((member) => (member.camera ? [member.camera] : [])));
}

/** The most frequent value; on a tie the first in alphabetical order. */
function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
