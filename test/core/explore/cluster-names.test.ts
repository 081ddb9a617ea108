import { describe, expect, it } from 'vitest';
import {
  nameSiblings,
  termsForClusters,
  type MemberFacts,
} from '../../../src-main/core/explore/cluster-names';

const unit = (...values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
};

const at = (year: number) => Date.UTC(year, 5, 1);
const member = (dirPath: string, year: number | null = null, camera: string | null = null) => ({
  dirPath,
  takenAt: year === null ? null : at(year),
  camera,
});
const sibling = (centroid: Float32Array, members: readonly MemberFacts[] = []) => ({
  centroid,
  members: () => members,
});

describe('cluster names from the text tower', () => {
  const vocabulary = {
    terms: ['photo', 'beach', 'sea', 'forest'],
    vectors: [unit(1, 1, 1), unit(1, 0.1, 0), unit(1, 0.2, 0), unit(0, 0, 1)],
  };

  it('prefers a distinctive term over one close to every cluster', () => {
    // "photo" is the closest term to the first centroid, but just as close to the second.
    const names = termsForClusters([unit(1, 0.6, 0.5), unit(0.2, 0.6, 1)], vocabulary);
    expect(names[0]).toMatch(/^(beach|sea)$/);
    expect(names[1]).toBe('forest');
  });

  it('never gives two siblings the same name, nor a child its parent name', () => {
    const names = termsForClusters([unit(1, 0.1, 0), unit(1, 0.12, 0)], vocabulary);
    expect(names).toEqual(['beach', 'sea']);
    const children = termsForClusters([unit(1, 0.1, 0)], vocabulary, new Set(['beach']));
    expect(children).toEqual(['sea']);
  });

  it('names a cluster only by a term that fits it better than any sibling', () => {
    // The second cluster is closer to "beach" than to anything else, but the first is closer
    // still: "beach" is the first's, and no other term points at the second.
    const terms = { terms: ['beach', 'forest'], vectors: [unit(1, 0, 0), unit(0, 0, 1)] };
    const centroids = [unit(1, 0, 0), unit(1, 0.9, 0), unit(0, 0.2, 1)];
    expect(termsForClusters(centroids, terms)).toEqual(['beach', undefined, 'forest']);
    // Nor by a term pointing away from it (a negative cosine), even with no sibling.
    expect(termsForClusters([unit(-1, 0, 0)], terms)).toEqual([undefined]);
  });

  it('keeps names apart between siblings that are nearly alike, each on its own cluster', () => {
    // Ten terms spread over one arc, four near-identical centroids on it: every name is the
    // term nearest its own cluster among those nearer to it than to the other siblings.
    const arc = Array.from({ length: 10 }, (_, i) => unit(Math.cos(i / 20), Math.sin(i / 20), 0));
    const terms = { terms: arc.map((_, i) => `term ${i}`), vectors: arc };
    const centroids = [0.05, 0.12, 0.2, 0.3].map((angle) =>
      unit(Math.cos(angle), Math.sin(angle), 0.05),
    );
    const names = termsForClusters(centroids, terms);
    expect(new Set(names).size).toBe(4);
    names.forEach((name, cluster) => {
      const term = terms.terms.indexOf(name!);
      const cosines = centroids.map((centroid) =>
        centroid.reduce((sum, value, i) => sum + value * arc[term]![i]!, 0),
      );
      expect(Math.max(...cosines)).toBe(cosines[cluster]);
    });
  });
});

describe('cluster names from members', () => {
  it('names a cluster by its main folder and the years it spans (image-only models)', () => {
    expect(
      nameSiblings(
        [
          sibling(unit(1, 0, 0), [
            member('/p/Iceland', 2019),
            member('/p/Iceland', 2019),
            member('/p/Other'),
          ]),
          sibling(unit(0, 1, 0), [member('/p/Beach', 2018), member('/p/Beach', 2021)]),
          sibling(unit(0, 0, 1), [member('/p/Scans')]),
        ],
        null,
      ),
    ).toEqual(['Iceland · 2019', 'Beach · 2018–2021', 'Scans']);
  });

  it('keeps siblings apart when they come out alike: by camera, then by number', () => {
    const same = [member('/p/Phone')];
    expect(
      nameSiblings(
        [same, same, same].map((m) => sibling(unit(1), m)),
        null,
      ),
    ).toEqual(['Phone', 'Phone (2)', 'Phone (3)']);
    const names = nameSiblings(
      [
        sibling(unit(1), [
          member('/p/Phone', 2020, 'Pixel 7'),
          member('/p/Phone', 2020, 'Pixel 7'),
        ]),
        sibling(unit(1), [member('/p/Phone', 2020, 'iPhone 12')]),
        sibling(unit(1), [member('/p/Trip', 2020, 'Pixel 7')]),
      ],
      null,
    );
    expect(names).toEqual(['Phone · 2020 · Pixel 7', 'Phone · 2020 · iPhone 12', 'Trip · 2020']);
  });

  it('never names a child like its parent', () => {
    const child = [member('/p/Iceland', 2019, 'Acme Z1')];
    expect(nameSiblings([sibling(unit(1), child)], null, new Set(['Iceland · 2019']))).toEqual([
      'Iceland · 2019 · Acme Z1',
    ]);
    expect(
      nameSiblings([sibling(unit(1), [member('/p/Iceland')])], null, new Set(['Iceland'])),
    ).toEqual(['Iceland (2)']);
  });

  it('names the clusters no term fits by their members, and only those', () => {
    // Six clusters, four terms (the synthetic colour model knows only colour words): the ones
    // left without a term were "Group n"; now their folder and years tell them.
    const vocabulary = {
      terms: ['photo', 'beach', 'sea', 'forest'],
      vectors: [unit(1, 1, 1), unit(1, 0.1, 0), unit(1, 0.2, 0), unit(0, 0, 1)],
    };
    const centroids = [0, 1, 2, 3, 4, 5].map((i) => unit(1, i / 10, 5 - i));
    const read: number[] = [];
    const siblings = centroids.map((centroid, i) => ({
      centroid,
      members: () => {
        read.push(i);
        return [member(`/p/Folder ${i}`, 2010 + i)];
      },
    }));
    const terms = termsForClusters(centroids, vocabulary);
    const names = nameSiblings(siblings, vocabulary);
    expect(new Set(names).size).toBe(6);
    names.forEach((name, i) => {
      expect(name).toBe(terms[i] ?? `Folder ${i} · ${2010 + i}`);
    });
    expect(names.some((name) => vocabulary.terms.includes(name))).toBe(true);
    expect(names.some((name) => name.startsWith('Folder'))).toBe(true);
    expect(names.join()).not.toMatch(/Group/);
    // The members are read only for the clusters named by them.
    expect(read).toEqual(terms.flatMap((term, i) => (term === undefined ? [i] : [])));
  });

  it('keeps a member name apart from a sibling named by a term', () => {
    const vocabulary = { terms: ['red'], vectors: [unit(1, 0)] };
    const names = nameSiblings(
      [sibling(unit(1, 0), [member('/p/red')]), sibling(unit(0, 1), [member('/p/red')])],
      vocabulary,
    );
    expect(names).toEqual(['red', 'red (2)']);
  });
});
