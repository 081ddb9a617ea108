import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-main/core/eval/csv';
import {
  averagePrecisionAtK,
  isCorrectPrediction,
  mean,
  pessimisticRank,
  recallAtK,
} from '../../../src-main/core/eval/metrics';
import {
  captionRanks,
  findSimilarPrecisions,
  zeroShotCorrect,
} from '../../../src-main/core/eval/model-scores';

const item = (score: number, relevant: boolean) => ({ score, relevant });

describe('averagePrecisionAtK (hand-computed)', () => {
  it('is 1 when the relevant items come first', () => {
    expect(averagePrecisionAtK([item(0.1, false), item(0.9, true), item(0.8, true)], 5)).toBe(1);
  });

  it('averages precision at each hit: hits at ranks 1 and 3 give (1/1 + 2/3) / 2', () => {
    const ap = averagePrecisionAtK([item(0.9, true), item(0.8, false), item(0.7, true)], 5);
    expect(ap).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it('breaks ties against the model: a tie with a miss ranks the miss first', () => {
    // Order taken: 0.9 miss, 0.9 hit, 0.5 hit → (1/2 + 2/3) / 2 = 7/12.
    const ap = averagePrecisionAtK([item(0.9, true), item(0.9, false), item(0.5, true)], 5);
    expect(ap).toBeCloseTo(7 / 12, 12);
  });

  it('divides by min(k, relevant): 10 relevant, hits at ranks 2 and 4 of 5 give (1/2 + 2/4) / 5', () => {
    const items = [
      item(1.0, false),
      item(0.9, true),
      item(0.8, false),
      item(0.7, true),
      item(0.6, false),
      ...Array.from({ length: 8 }, (_, i) => item(0.5 - i * 0.01, true)),
    ];
    expect(averagePrecisionAtK(items, 5)).toBeCloseTo(0.2, 12);
  });

  it('is 0 when every relevant item ranks below k, null when nothing is relevant', () => {
    const misses = [item(0.9, false), item(0.8, false), item(0.7, true)];
    expect(averagePrecisionAtK(misses, 2)).toBe(0);
    expect(averagePrecisionAtK([item(0.9, false)], 5)).toBeNull();
  });
});

describe('ranks, recall and zero-shot correctness', () => {
  it('ranks a target after every other item scoring at least as high', () => {
    expect(pessimisticRank([0.5, 0.9, 0.5, 0.1], 0)).toBe(3);
    expect(pessimisticRank([0.5, 0.9, 0.5, 0.1], 1)).toBe(1);
    expect(pessimisticRank([0.5, 0.9, 0.5, 0.1], 3)).toBe(4);
  });

  it('counts the share of targets within the top k', () => {
    const ranks = [1, 3, 6, 11];
    expect(recallAtK(ranks, 1)).toBe(0.25);
    expect(recallAtK(ranks, 5)).toBe(0.5);
    expect(recallAtK(ranks, 10)).toBe(0.75);
  });

  it('needs the true class strictly on top', () => {
    expect(isCorrectPrediction([0.2, 0.8, 0.7], 1)).toBe(true);
    expect(isCorrectPrediction([0.2, 0.7, 0.7], 1)).toBe(false);
    expect(isCorrectPrediction([0.9, 0.8, 0.7], 1)).toBe(false);
  });

  it('has no mean of nothing', () => {
    expect(mean([])).toBeNaN();
    expect(mean([1, 2, 6])).toBe(3);
  });
});

describe('model scores over unit vectors', () => {
  const v = (...values: number[]) => Float32Array.from(values);
  // Two categories on two axes, one photo of category 0 leaning towards category 1.
  const photos = [
    { vector: v(1, 0), category: 0 },
    { vector: v(0.8, 0.6), category: 0 },
    { vector: v(0, 1), category: 1 },
    { vector: v(0.6, 0.8), category: 1 },
  ];

  it('scores find-similar per photo', () => {
    // Photo 1 (0.8, 0.6): photo 0 scores 0.8, photo 3 0.96, photo 2 0.6 → its one relevant at rank 2.
    expect(findSimilarPrecisions(photos, 5)).toEqual([1, 0.5, 1, 0.5]);
  });

  it('classifies by the nearest prompt', () => {
    expect(zeroShotCorrect(photos, [v(1, 0), v(0, 1)])).toEqual([true, true, true, true]);
    expect(zeroShotCorrect(photos, [v(0, 1), v(1, 0)])).toEqual([false, false, false, false]);
  });

  it('ranks each caption’s photo among all photos', () => {
    expect(
      captionRanks(photos, [
        { vector: v(1, 0), photo: 0 },
        { vector: v(1, 0), photo: 3 },
      ]),
    ).toEqual([1, 3]);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF and blank lines', () => {
    const text =
      'path,caption\r\na.jpg,"a red, round ""ball"""\r\n\r\nb.jpg,"two\nlines"\nc.jpg,plain';
    expect(parseCsv(text)).toEqual([
      ['path', 'caption'],
      ['a.jpg', 'a red, round "ball"'],
      ['b.jpg', 'two\nlines'],
      ['c.jpg', 'plain'],
    ]);
  });
});
