import { describe, expect, it } from 'vitest';
import { namesFromMembers, namesFromText } from '../../../src-main/core/explore/cluster-names';

const unit = (...values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
};

describe('cluster names from the text tower', () => {
  const vocabulary = {
    terms: ['photo', 'beach', 'sea', 'forest'],
    vectors: [unit(1, 1, 1), unit(1, 0.1, 0), unit(1, 0.2, 0), unit(0, 0, 1)],
  };

  it('prefers a distinctive term over one close to every cluster', () => {
    // "photo" is the closest term to the first centroid, but just as close to the second.
    const names = namesFromText([unit(1, 0.6, 0.5), unit(0.2, 0.6, 1)], vocabulary);
    expect(names[0]).toMatch(/^(beach|sea)$/);
    expect(names[1]).toBe('forest');
  });

  it('never gives two siblings the same name, nor a child its parent name', () => {
    const names = namesFromText([unit(1, 0.1, 0), unit(1, 0.12, 0)], vocabulary);
    expect(names).toEqual(['beach', 'sea']);
    const children = namesFromText([unit(1, 0.1, 0)], vocabulary, new Set(['beach']));
    expect(children).toEqual(['sea']);
  });

  it('names every cluster when there are more siblings than terms (a small vocabulary)', () => {
    // Six clusters, four terms (the synthetic colour model knows only colour words): the last
    // two had no name at all and the clusters could not be saved.
    const centroids = [0, 1, 2, 3, 4, 5].map((i) => unit(1, i / 10, 5 - i));
    const names = namesFromText(centroids, vocabulary);
    expect(names).toHaveLength(6);
    expect(names.every((name) => typeof name === 'string' && name.length > 0)).toBe(true);
    expect(new Set(names).size).toBe(6);
    expect(names.filter((name) => vocabulary.terms.includes(name))).toHaveLength(4);
  });
});

describe('cluster names from members (image-only models)', () => {
  const at = (year: number) => Date.UTC(year, 5, 1);

  it('names a cluster by its main folder and the years it spans', () => {
    expect(
      namesFromMembers([
        [
          { dirPath: '/p/Iceland', takenAt: at(2019) },
          { dirPath: '/p/Iceland', takenAt: at(2019) },
          { dirPath: '/p/Other', takenAt: null },
        ],
        [
          { dirPath: '/p/Beach', takenAt: at(2018) },
          { dirPath: '/p/Beach', takenAt: at(2021) },
        ],
        [{ dirPath: '/p/Scans', takenAt: null }],
      ]),
    ).toEqual(['Iceland · 2019', 'Beach · 2018–2021', 'Scans']);
  });

  it('keeps siblings apart when they come out alike', () => {
    const same = [{ dirPath: '/p/Phone', takenAt: null }];
    expect(namesFromMembers([same, same, same])).toEqual(['Phone', 'Phone (2)', 'Phone (3)']);
  });
});
