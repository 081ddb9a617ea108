/**
 * Search while indexing ([Note: Inference off the host's thread]): text-query latency with the
 * library idle and while 12 MP photos are being indexed, with the image tower in its worker thread
 * (the default) and, for comparison, on the core's own thread. Target (issue "Speed"): p95 while
 * indexing ≤ 2 × idle p95.
 *
 *   npx tsx bench/search-while-indexing.bench.ts [--large 24] [--reps 3] [--json out.json]
 *
 * Per repetition and mode: a fresh library with 64 photos of photos-cc0 indexed, 30 text queries
 * idle, then the `--large` generated 12 MP JPEGs indexed while one query runs every 50 ms (each
 * text distinct, so the query cache never answers: bench/lib/query-texts.ts). Latency is measured
 * from the call to the answer, as the core host sees a request arrive. The int8 bench towers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { SessionThread } from '../src-main/core/embed/lazy-session';
import { positiveInt, writeJson } from './lib/args';
import { openBenchCore } from './lib/bench-core';
import { ensureBenchModels } from './lib/bench-models';
import { cc0Photos, linkPhotosInto, twelveMegapixelPhotos } from './lib/bench-photos';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { percentile } from './lib/percentile';
import { queryTexts } from './lib/query-texts';

const IDLE_QUERIES = 30;
const QUERY_GAP_MS = 50;
const MODES: SessionThread[] = ['worker', 'this'];

interface Measurement {
  idleP50Ms: number;
  idleP95Ms: number;
  indexingP50Ms: number;
  indexingP95Ms: number;
  /** Queries answered while the index run went on. */
  indexingQueries: number;
  /** Images per second of the index run with the queries going on. */
  indexRate: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      large: { type: 'string', default: '24' },
      reps: { type: 'string', default: '3' },
      json: { type: 'string' },
    },
  });
  const reps = positiveInt(values.reps, '--reps');
  const machine = describeMachine();
  console.log(`Search while indexing: ${machineLine(machine)}`);
  ensureBenchModels();
  const seed = await cc0Photos(64);
  const large = await twelveMegapixelPhotos(positiveInt(values.large, '--large'), console.log);
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-search-while-indexing-'));
  try {
    const seedFolder = await linkPhotosInto(path.join(work, 'seed'), seed);
    const largeFolder = await linkPhotosInto(path.join(work, 'large'), large);
    const results: Record<SessionThread, Measurement[]> = { worker: [], this: [] };
    let texts = queryTexts(100_000);
    for (let rep = 0; rep < reps; rep++) {
      for (const mode of MODES) {
        const measured = await measure(path.join(work, `${mode}-${rep}`), mode, {
          seedFolder,
          largeFolder,
          texts: () => {
            const [text, ...rest] = texts;
            texts = rest;
            return text!;
          },
        });
        results[mode].push(measured);
        console.log(`rep ${rep + 1} ${mode}: ${JSON.stringify(measured)}`);
      }
    }
    const summary = Object.fromEntries(
      MODES.map((mode) => [mode, medianOf(results[mode])]),
    ) as Record<SessionThread, Measurement>;
    console.log(
      '\n| image tower | idle p50 ms | idle p95 ms | indexing p50 ms | indexing p95 ms | p95 ratio | queries | index img/s |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const mode of MODES) {
      const m = summary[mode];
      console.log(
        `| ${mode === 'worker' ? 'worker thread' : 'core thread'} | ${m.idleP50Ms.toFixed(1)} | ${m.idleP95Ms.toFixed(1)} | ${m.indexingP50Ms.toFixed(1)} | ${m.indexingP95Ms.toFixed(1)} | ${(m.indexingP95Ms / m.idleP95Ms).toFixed(2)} | ${m.indexingQueries} | ${m.indexRate.toFixed(2)} |`,
      );
    }
    if (values.json) await writeJson(values.json, { machine, reps, summary, results });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function measure(
  workDir: string,
  imageThread: SessionThread,
  input: { seedFolder: string; largeFolder: string; texts: () => string },
): Promise<Measurement> {
  const { core } = await openBenchCore(workDir, 'int8', path.join(workDir, 'library.db'), {
    imageThread,
  });
  try {
    await core.addFolder(input.seedFolder);
    await core.index({ folders: [input.seedFolder] });
    const timeQuery = async (): Promise<number> => {
      const started = performance.now();
      await core.search(input.texts(), { limit: 100 });
      return performance.now() - started;
    };
    await timeQuery(); // the text tower's session
    const idle: number[] = [];
    for (let i = 0; i < IDLE_QUERIES; i++) idle.push(await timeQuery());

    await core.addFolder(input.largeFolder);
    let done = false;
    const started = performance.now();
    const run = core.index({ folders: [input.largeFolder] }).finally(() => (done = true));
    const during: number[] = [];
    while (!done) {
      during.push(await timeQuery());
      await sleep(QUERY_GAP_MS);
    }
    const report = await run;
    const seconds = (performance.now() - started) / 1000;
    return {
      idleP50Ms: percentile(idle, 50),
      idleP95Ms: percentile(idle, 95),
      indexingP50Ms: percentile(during, 50),
      indexingP95Ms: percentile(during, 95),
      indexingQueries: during.length,
      indexRate: report.indexed / seconds,
    };
  } finally {
    await core.dispose();
  }
}

function medianOf(measurements: Measurement[]): Measurement {
  const keys = Object.keys(measurements[0]!) as (keyof Measurement)[];
  return Object.fromEntries(
    keys.map((key) => [key, median(measurements.map((m) => m[key]))]),
  ) as unknown as Measurement;
}

await main();
