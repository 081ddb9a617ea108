import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../../src-main/core/inference/embedder';
import { findResourcesDir } from '../../../src-main/core/models/registry';
import { ClusterStore } from '../../../src-main/core/explore/cluster-store';
import {
  loadVocabulary,
  termVectorsFor,
  type Vocabulary,
} from '../../../src-main/core/explore/vocabulary';
import { RELEVANCE_TERMS } from '../../../src-main/core/search/relevance';
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/store/database';

const KINDS = [
  'colours',
  'scenes and places',
  'weather, seasons and time of day',
  'plants and nature',
  'animals',
  'food and drink',
  'objects',
  'people',
  'activities',
  'events',
  'styles and photo types',
];

describe('the shipped vocabulary (resources/vocabulary.json)', () => {
  const resources = findResourcesDir();
  const file = JSON.parse(readFileSync(path.join(resources, 'vocabulary.json'), 'utf8')) as {
    prompt: string;
    groups: Record<string, string[]>;
  };

  it('has a few thousand everyday terms, grouped by kind, colours and scenes first', () => {
    const vocabulary = loadVocabulary(resources);
    expect(vocabulary.prompt).toBe('a photo of {term}');
    expect(vocabulary.terms.length).toBeGreaterThanOrEqual(2500);
    expect(Object.keys(file.groups)).toEqual(KINDS);
    for (const kind of KINDS) expect(file.groups[kind]!.length, kind).toBeGreaterThanOrEqual(50);
    expect(vocabulary.terms).toEqual(Object.values(file.groups).flat());
    // Relevance calibration scores the first terms: colours, then scenes and places.
    const calibration = vocabulary.terms.slice(0, RELEVANCE_TERMS);
    const coloursAndScenes = new Set([
      ...file.groups['colours']!,
      ...file.groups['scenes and places']!,
    ]);
    expect(calibration.every((term) => coloursAndScenes.has(term))).toBe(true);
  });

  it('lists every term once, lower-case, single-spaced', () => {
    const terms = Object.values(file.groups).flat();
    expect(new Set(terms).size).toBe(terms.length);
    const untidy = terms.filter(
      (term) =>
        term.length === 0 ||
        term !== term.toLowerCase() ||
        term !== term.trim().replace(/\s+/g, ' '),
    );
    expect(untidy).toEqual([]);
  });
});

describe('loading a vocabulary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'photoseek-vocabulary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (content: unknown) =>
    writeFileSync(path.join(dir, 'vocabulary.json'), JSON.stringify(content));

  it('refuses a term listed twice, naming it and its kinds', () => {
    write({
      prompt: 'a photo of {term}',
      groups: { food: ['orange'], colours: ['orange', 'red'] },
    });
    expect(() => loadVocabulary(dir)).toThrow(/lists "orange" twice \(in food and colours\)/);
  });

  it('refuses a term that is not lower-case, saying where it is', () => {
    write({ prompt: 'a photo of {term}', groups: { animals: ['dog', 'Cat'] } });
    expect(() => loadVocabulary(dir)).toThrow(/lower-case.*groups\.animals\.1/);
  });

  it('keeps its cache key when terms are added, not when the prompt changes', () => {
    write({ prompt: 'a photo of {term}', groups: { animals: ['dog', 'cat'] } });
    const before = loadVocabulary(dir).version;
    write({ prompt: 'a photo of {term}', groups: { animals: ['dog', 'cat', 'owl'] } });
    expect(loadVocabulary(dir).version).toBe(before);
    write({ prompt: 'a picture of {term}', groups: { animals: ['dog', 'cat', 'owl'] } });
    expect(loadVocabulary(dir).version).not.toBe(before);
  });
});

/** A text tower for the cache logic: one axis per text it has seen; counts what it embeds. */
function countingTower(failAfter = Infinity): Embedder & { embedded: string[] } {
  const axes = new Map<string, number>();
  const embedded: string[] = [];
  return {
    modelId: 'counting',
    dim: 64,
    hasTextTower: true,
    embedded,
    provider: () => 'cpu',
    embedImages: () => Promise.reject(new Error('no images here')),
    dispose: () => Promise.resolve(),
    embedTexts(texts) {
      if (embedded.length + texts.length > failAfter) return Promise.reject(new Error('cancelled'));
      embedded.push(...texts);
      return Promise.resolve(
        texts.map((text) => {
          const vector = new Float32Array(64);
          if (!axes.has(text)) axes.set(text, axes.size % 64);
          if (!text.endsWith('nothing')) vector[axes.get(text)!] = 1;
          return vector;
        }),
      );
    },
  };
}

describe('the vocabulary text vectors, cached per model in the library', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: ClusterStore;
  const vocabulary = (count: number): Vocabulary => ({
    version: 'v1',
    prompt: 'a photo of {term}',
    terms: Array.from({ length: count }, (_, i) => (i === 3 ? 'nothing' : `term ${i}`)),
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'photoseek-term-vectors-'));
    db = openDatabase(path.join(dir, 'library.db'));
    store = new ClusterStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('embeds the terms once, in batches with progress, through the prompt', async () => {
    const tower = countingTower();
    const progress: [number, number][] = [];
    const first = await termVectorsFor(tower, store, vocabulary(100), {
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(tower.embedded).toHaveLength(100);
    expect(tower.embedded[0]).toBe('a photo of term 0');
    expect(progress).toEqual([
      [32, 100],
      [64, 100],
      [96, 100],
      [100, 100],
    ]);
    // A term embedded to zero is no name.
    expect(first.terms).toHaveLength(99);
    expect(first.terms).not.toContain('nothing');
    const again = await termVectorsFor(tower, store, vocabulary(100));
    expect(tower.embedded).toHaveLength(100);
    expect(again).toEqual(first);
  });

  it('embeds only the terms added since, and keeps what a cancelled run embedded', async () => {
    const cancelled = countingTower(64);
    await expect(termVectorsFor(cancelled, store, vocabulary(100))).rejects.toThrow('cancelled');
    const tower = countingTower();
    await termVectorsFor(tower, store, vocabulary(100));
    expect(tower.embedded).toEqual(
      vocabulary(100)
        .terms.slice(64)
        .map((t) => `a photo of ${t}`),
    );
    await termVectorsFor(tower, store, vocabulary(120));
    expect(tower.embedded).toHaveLength(36 + 20);
  });
});
