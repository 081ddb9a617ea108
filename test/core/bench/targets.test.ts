import { describe, expect, it } from 'vitest';
import type {
  IndexingRow,
  KnnResult,
  LibraryResult,
  QueryRow,
  SearchWhileIndexingMeasurement,
} from '../../../bench/lib/results';
import type { MachineInfo } from '../../../bench/lib/machine';
import type { RunFigures, TargetOutcome } from '../../../bench/lib/targets';
import { evaluateTargets, HEIC_DECODE_BASELINE, targetsTable } from '../../../bench/lib/targets';

// The evaluation is a pure function of a run's results: these are hand-made results, no timing.

const machine: MachineInfo = {
  cpu: 'test CPU',
  cores: 2,
  memoryGiB: 8,
  node: 'v24',
  os: 'Linux',
  loadAtStart: 1,
};

function queryRow(size: number, overrides: Partial<QueryRow> = {}): QueryRow {
  return {
    size,
    precision: 'int8',
    queries: 40,
    firstQueryMs: 500,
    e2eP50Ms: 28,
    e2eP95Ms: 40,
    textP50Ms: 15,
    knnP50Ms: 9.6,
    knnP95Ms: 12,
    rowsP50Ms: 0.8,
    flatScanP50Ms: 42.7,
    knnSpeedup: 42.7 / 9.6,
    ...overrides,
  };
}

function indexingRow(set: string, overrides: Partial<IndexingRow> = {}): IndexingRow {
  return {
    set,
    precision: 'int8',
    images: 24,
    decode: 15.6,
    inference: 33.9,
    limit: 10.7,
    pipeline: 11.2,
    pipelineSteady: 12.9,
    ratio: 1.05,
    ratioSteady: 1.2,
    ...overrides,
  };
}

function measurement(overrides: Partial<SearchWhileIndexingMeasurement>) {
  return {
    idleP50Ms: 16.8,
    idleP95Ms: 25.5,
    indexingP50Ms: 20.3,
    indexingP95Ms: 37.7,
    indexingMaxMs: 49,
    indexingQueries: 100,
    indexRate: 7.6,
    ...overrides,
  };
}

function library(size: number, overrides: Partial<LibraryResult> = {}): LibraryResult {
  return {
    machine,
    reps: 3,
    size,
    coldStart: {
      wallMs: 1137,
      bootMs: 86,
      importMs: 282,
      openMs: 10,
      firstQueryMs: 752,
      hits: 20,
      restRssMB: 419,
    },
    rescan: { files: size, seconds: 5.9 },
    walk: { files: size, seconds: 1.5 },
    syntheticBytesPerPhoto: 4700,
    indexing: {
      photos: 88,
      seconds: 10,
      peakRssMB: 407,
      restRssMB: 382,
      databaseBytes: 1,
      thumbnailBytes: 1,
    },
    ...overrides,
  };
}

function knnAtOneMillion(imageP50Ms: number, textP50Ms: number): KnnResult {
  return {
    k: 20,
    queryCount: 100,
    results: [
      {
        size: 1_000_000,
        firstSearchMs: 3800,
        cases: [
          { case: 'none', query: 'image', p50Ms: imageP50Ms, p95Ms: 80, recall: 0.998 },
          { case: 'none', query: 'text', p50Ms: textP50Ms, p95Ms: 50, recall: 0.998 },
          { case: 'date range', query: 'image', p50Ms: 5, p95Ms: 6, recall: 1 },
        ],
      },
    ],
  };
}

/** A full default run (no 1M) with last recorded figures. */
function defaultRun(overrides: Partial<RunFigures> = {}): RunFigures {
  return {
    imageThread: 'worker',
    oneMillionOptIn: '`npm run bench -- --query-sizes 10000,100000,1000000`',
    indexing: {
      machine,
      reps: 5,
      rows: [
        indexingRow('photos-cc0 (64, 400–900 px)', { ratio: 0.95 }),
        indexingRow('12 MP JPEG (24)'),
      ],
    },
    query: {
      k20: { machine, reps: 3, rows: [queryRow(10_000), queryRow(100_000)] },
      k1000: {
        machine,
        reps: 3,
        rows: [
          queryRow(100_000, {
            e2eP50Ms: 56.1,
            textP50Ms: 14.6,
            knnP50Ms: 30.6,
            rowsP50Ms: 4.1,
            flatScanP50Ms: 44.6,
            knnSpeedup: 44.6 / 30.6,
          }),
        ],
      },
    },
    searchWhileIndexing: {
      machine,
      reps: 3,
      large: 16,
      summary: {
        worker: measurement({}),
        this: measurement({ idleP95Ms: 21, indexingP95Ms: 183.5, indexingMaxMs: 714 }),
      },
      results: { worker: [], this: [] },
    },
    library: library(100_000),
    ...overrides,
  };
}

function outcome(outcomes: readonly TargetOutcome[], start: string): TargetOutcome {
  const found = outcomes.filter((o) => o.target.startsWith(start));
  expect(found, `one target starting "${start}"`).toHaveLength(1);
  return found[0]!;
}

describe('evaluateTargets', () => {
  it('misses the page speed-up with the k-dependent KNN time as the reason, and says what would meet it', () => {
    const outcomes = evaluateTargets(defaultRun());
    const speed = outcome(outcomes, '1. The page: KNN');
    expect(speed.verdict).toBe('missed');
    expect(speed.figure).toContain('1.5 ×');
    // 30.6 ms at k = 1,000 against 9.6 ms at k = 20: 21.0 ms grow with k.
    expect(speed.why).toContain('21.0 ms grow with k');
    // 44.6 / 4 = 11.2 ms.
    expect(speed.wouldMeet).toContain('KNN p50 ≤ 11.2 ms');
  });

  it('meets the page speed-up when KNN is 4 × faster than the flat scan', () => {
    const run = defaultRun();
    run.query!.k1000!.rows = [
      queryRow(100_000, { knnP50Ms: 10, flatScanP50Ms: 44, knnSpeedup: 4.4 }),
    ];
    const speed = outcome(evaluateTargets(run), '1. The page: KNN');
    expect(speed.verdict).toBe('met');
    expect(speed.why).toBeUndefined();
    expect(speed.wouldMeet).toBeUndefined();
  });

  it('judges end to end against 1.5 × (text tower + KNN) and blames the photo rows when they are the excess', () => {
    const met = outcome(evaluateTargets(defaultRun()), '1. The page: text query end to end');
    expect(met.verdict).toBe('met'); // 56.1 / (14.6 + 30.6) = 1.241
    expect(met.figure).toContain('1.241 ×');

    const run = defaultRun();
    run.query!.k1000!.rows = [
      queryRow(100_000, { e2eP50Ms: 81.2, textP50Ms: 14.8, knnP50Ms: 26.2, rowsP50Ms: 36.6 }),
    ];
    const missed = outcome(evaluateTargets(run), '1. The page: text query end to end');
    expect(missed.verdict).toBe('missed');
    expect(missed.why).toContain('photo rows');
    // 1.5 × (14.8 + 26.2) = 61.5 ms.
    expect(missed.wouldMeet).toContain('e2e p50 ≤ 61.5 ms');

    // A miss by a hair shows as one: 16.21 / (4.0 + 6.8) = 1.5009.
    run.query!.k1000!.rows = [
      queryRow(100_000, { e2eP50Ms: 16.21, textP50Ms: 4.0, knnP50Ms: 6.8, rowsP50Ms: 3.4 }),
    ];
    const hair = outcome(evaluateTargets(run), '1. The page: text query end to end');
    expect(hair.verdict).toBe('missed');
    expect(hair.figure).toContain('1.501 ×');
    expect(hair.wouldMeet).toContain('(0.01 ms less)');
  });

  it('says which sizes a quick run measured instead of judging targets at 100,000 photos', () => {
    const run = defaultRun();
    run.query = {
      k20: { machine, reps: 1, rows: [queryRow(10_000)] },
      k1000: { machine, reps: 1, rows: [queryRow(10_000)] },
    };
    const outcomes = evaluateTargets(run);
    for (const start of ['1. The page', '3. Text query']) {
      for (const o of outcomes.filter((each) => each.target.startsWith(start))) {
        expect(o.verdict).toBe('not run');
        expect(o.why).toContain('this run measured 10,000 photos, not 100,000');
      }
    }
  });

  it('judges the text query at 30 ms and names the text tower when it dominates', () => {
    const met = outcome(evaluateTargets(defaultRun()), '3. Text query');
    expect(met.verdict).toBe('met'); // 28 ms

    const run = defaultRun();
    run.query!.k20!.rows = [queryRow(100_000, { e2eP50Ms: 37.6, textP50Ms: 21.6 })];
    const missed = outcome(evaluateTargets(run), '3. Text query');
    expect(missed.verdict).toBe('missed');
    expect(missed.why).toContain('the text tower alone takes 21.6 ms');
    // The rest is 37.6 − 21.6 = 16 ms, so the tower must get to 14 ms.
    expect(missed.wouldMeet).toContain('text tower ≤ 14.0 ms');
  });

  it('meets search while indexing at p95 1.48 × idle and misses it at 8.7 ×, naming a blocked thread', () => {
    const met = outcome(evaluateTargets(defaultRun()), '2. Search while indexing');
    expect(met.verdict).toBe('met');
    expect(met.figure).toContain('1.48 ×');

    const run = defaultRun();
    run.searchWhileIndexing!.summary.worker = measurement({
      idleP95Ms: 21,
      indexingP95Ms: 183.5,
      indexingMaxMs: 714,
    });
    const missed = outcome(evaluateTargets(run), '2. Search while indexing');
    expect(missed.verdict).toBe('missed');
    expect(missed.wouldMeet).toContain('≤ 42.0 ms');
    expect(missed.why).toContain('slowest 714.0 ms');
  });

  it('reports HEIC as not measured when the indexing bench has no HEIC set, and judges it against the baseline when it has', () => {
    const absent = outcome(evaluateTargets(defaultRun()), '4. 12 MP HEIC');
    expect(absent.verdict).toBe('not measured');
    expect(absent.figure).toContain('JPEG 15.6 img/s');

    const run = defaultRun();
    const fast = HEIC_DECODE_BASELINE.imagesPerSecond * 5;
    run.indexing!.rows.push(indexingRow('12 MP HEIC (24)', { decode: fast }));
    expect(outcome(evaluateTargets(run), '4. 12 MP HEIC').verdict).toBe('met');

    run.indexing!.rows[2] = indexingRow('12 MP HEIC (24)', {
      decode: HEIC_DECODE_BASELINE.imagesPerSecond * 2,
    });
    const slow = outcome(evaluateTargets(run), '4. 12 MP HEIC');
    expect(slow.verdict).toBe('missed');
    expect(slow.figure).toContain('(2.0 ×)');
    expect(slow.wouldMeet).toContain(
      `≥ ${(4 * HEIC_DECODE_BASELINE.imagesPerSecond).toFixed(2)} img/s`,
    );
  });

  it('shows every one-million target as not run, with the opt-in, when the 1M case was not run', () => {
    const oneMillion = evaluateTargets(defaultRun()).filter((o) =>
      o.target.startsWith('5. 1,000,000 photos'),
    );
    expect(oneMillion).toHaveLength(5);
    for (const o of oneMillion) {
      expect(o.verdict).toBe('not run');
      expect(o.why).toContain('opt-in: `npm run bench -- --query-sizes 10000,100000,1000000`');
    }
    // The smaller library's rescan ratio is given as a hint: 5.9 s / 1.5 s.
    expect(outcome(oneMillion, '5. 1,000,000 photos: rescan').why).toContain('3.9 ×');
  });

  it('judges the one-million targets from the KNN, query and library benches of a 1M run', () => {
    const run = defaultRun({
      knn: knnAtOneMillion(67, 30),
      library: library(1_000_000, { rescan: { files: 1_000_000, seconds: 50 } }),
    });
    run.query!.k20!.rows.push(queryRow(1_000_000, { flatScanP50Ms: 450 }));
    const outcomes = evaluateTargets(run);

    const image = outcome(outcomes, '5. 1,000,000 photos: unfiltered image');
    expect(image.verdict).toBe('missed'); // 67 ms > 40 ms
    expect(image.wouldMeet).toContain('KNN p50 ≤ 40.0 ms');
    const text = outcome(outcomes, '5. 1,000,000 photos: unfiltered text');
    expect(text.verdict).toBe('met'); // 30 ms, 450 / 30 = 15 ×
    expect(text.figure).toContain('15.0 ×');

    const cold = outcome(outcomes, '5. 1,000,000 photos: first result');
    expect(cold.verdict).toBe('missed');
    expect(cold.why).toContain('the first query');
    expect(cold.wouldMeet).toContain('637 ms less');

    expect(outcome(outcomes, '5. 1,000,000 photos: memory').verdict).toBe('reported');
    const rescan = outcome(outcomes, '5. 1,000,000 photos: rescan');
    expect(rescan.verdict).toBe('missed'); // 50 / 1.5 = 33 ×
    expect(rescan.wouldMeet).toContain('rescan ≤ 3.0 s');
  });

  it('takes the flat scan of the one-million targets from the KNN bench when it timed one', () => {
    const knn = knnAtOneMillion(35, 30);
    knn.results[0]!.cases.push(
      { case: "rclip's flat scan", query: 'image', p50Ms: 420, p95Ms: 500, recall: 1 },
      { case: "rclip's flat scan", query: 'text', p50Ms: 240, p95Ms: 260, recall: 1 },
    );
    const run = defaultRun({ knn });
    run.query!.k20!.rows.push(queryRow(1_000_000, { flatScanP50Ms: 10_000 }));
    const outcomes = evaluateTargets(run);

    const image = outcome(outcomes, '5. 1,000,000 photos: unfiltered image');
    expect(image.verdict).toBe('met'); // 420 / 35 = 12 ×
    expect(image.figure).toContain('12.0 ×');
    const text = outcome(outcomes, '5. 1,000,000 photos: unfiltered text');
    expect(text.verdict).toBe('missed'); // 240 / 30 = 8 ×, not the query bench's 333 ×
    expect(text.figure).toContain('8.0 ×');
  });

  it('judges every indexing row at 0.9 × the limit, and only with the worker thread', () => {
    const run = defaultRun();
    run.indexing!.rows.push(
      indexingRow('12 MP JPEG (24)', { precision: 'fp32', ratio: 0.8, ratioSteady: 0.95 }),
    );
    const rows = evaluateTargets(run).filter((o) => o.target.startsWith('6.'));
    expect(rows.map((o) => o.verdict)).toEqual(['met', 'met', 'missed']);
    expect(rows[2]!.why).toContain('steady state 0.95');

    const onHostThread = evaluateTargets({ ...run, imageThread: 'this' }).filter((o) =>
      o.target.startsWith('6.'),
    );
    expect(onHostThread.every((o) => o.verdict === 'not measured')).toBe(true);
  });

  it('judges a set of one batch, which has no steady rate (null in the JSON), without one', () => {
    const run = defaultRun();
    run.indexing!.rows = [
      indexingRow('12 MP JPEG (8)', { ratio: 0.72, pipelineSteady: null, ratioSteady: null }),
    ];
    const [row] = evaluateTargets(run).filter((o) => o.target.startsWith('6.'));
    expect(row).toMatchObject({ verdict: 'missed' });
    expect(row!.figure).toContain('(steady –)');
    expect(row!.why).toContain('slower stage');
  });

  it('marks targets whose bench was not selected as not run', () => {
    const outcomes = evaluateTargets({
      imageThread: 'worker',
      oneMillionOptIn: 'opt-in',
    });
    expect(outcomes.every((o) => o.verdict === 'not run')).toBe(true);
  });
});

describe('targetsTable', () => {
  it('writes one row per target, the missed ones in bold with why and what would meet them', () => {
    const table = targetsTable([
      { target: 'a | b', figure: '1 ms', verdict: 'met' },
      { target: 'c', figure: '2 ms', verdict: 'missed', why: 'slow', wouldMeet: '≤ 1 ms' },
    ]);
    expect(table).toHaveLength(4);
    expect(table[2]).toBe('| a \\| b | 1 ms | met |  |');
    expect(table[3]).toBe('| c | 2 ms | **missed** | slow; would meet: ≤ 1 ms |');
  });
});
