/**
 * Search while indexing ([Note: Inference off the host's thread]): text-query latency as the app
 * sees it — from another thread, over the RPC, to the real core host — with the library idle and
 * while 12 MP photos are being indexed, with the image tower in its worker thread (the default)
 * and, for comparison, on the host's own thread (PHOTOSEEK_IMAGE_THREAD=this). Target (issue
 * "Speed"): p95 while indexing ≤ 2 × idle p95.
 *
 *   npx tsx bench/search-while-indexing.bench.ts [--large 16] [--reps 3] [--json out.json]
 *
 * Per repetition and mode: a fresh library with 64 photos of photos-cc0 indexed; the core host
 * (src-main/core-host/main.ts) started in a worker thread on it; 30 text queries idle; then the
 * `--large` generated 12 MP JPEGs added (the live host indexes them) while one query is sent every
 * 50 ms. Each text is distinct, so the query cache never answers (bench/lib/query-texts.ts). The
 * client times each call on its own thread, so a host busy in a batch shows as latency, as it
 * does for the app's window. The int8 bench towers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { SessionThread } from '../src-main/core/inference/lazy-session';
import { createCoreClient } from '../src-main/core/rpc/host-api';
import { nodePortTransport } from '../src-main/core/rpc/transport';
import { positiveInt, writeJson } from './lib/args';
import { openBenchCore } from './lib/bench-core';
import { ensureBenchModels, projectRoot } from './lib/bench-models';
import { cc0Photos, linkPhotosInto, twelveMegapixelPhotos } from './lib/bench-photos';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { percentile } from './lib/percentile';
import { queryTexts } from './lib/query-texts';
import type {
  SearchWhileIndexingMeasurement as Measurement,
  SearchWhileIndexingResult,
} from './lib/results';

const IDLE_QUERIES = 30;
const QUERY_GAP_MS = 50;
const MODES: SessionThread[] = ['worker', 'this'];
const hostEntry = path.join(projectRoot, 'src-main', 'core-host', 'main.ts');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      large: { type: 'string', default: '16' },
      reps: { type: 'string', default: '3' },
      json: { type: 'string' },
    },
  });
  const reps = positiveInt(values.reps, '--reps');
  const largeCount = positiveInt(values.large, '--large');
  const machine = describeMachine();
  console.log(`Search while indexing: ${machineLine(machine)}`);
  ensureBenchModels();
  const seed = await cc0Photos(64);
  const large = await twelveMegapixelPhotos(largeCount, console.log);
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-search-while-indexing-'));
  try {
    const seedFolder = await linkPhotosInto(path.join(work, 'seed'), seed);
    const largeFolder = await linkPhotosInto(path.join(work, 'large'), large);
    const texts = queryTexts(100_000).values();
    const nextText = (): string => texts.next().value!;
    const results: Record<SessionThread, Measurement[]> = { worker: [], this: [] };
    for (let rep = 0; rep < reps; rep++) {
      for (const mode of MODES) {
        const dir = path.join(work, `${mode}-${rep}`);
        const measured = await measure(dir, mode, { seedFolder, largeFolder, nextText });
        results[mode].push(measured);
        console.log(`rep ${rep + 1} ${mode}: ${JSON.stringify(measured)}`);
      }
    }
    const summary = Object.fromEntries(
      MODES.map((mode) => [mode, medianOf(results[mode])]),
    ) as Record<SessionThread, Measurement>;
    console.log(
      '\n| image tower | idle p50 ms | idle p95 ms | indexing p50 ms | indexing p95 ms | p95 / idle p95 | slowest ms | queries | index img/s |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const mode of MODES) {
      const m = summary[mode];
      console.log(
        `| ${mode === 'worker' ? 'worker thread' : "host's thread"} | ${m.idleP50Ms.toFixed(1)} | ${m.idleP95Ms.toFixed(1)} | ${m.indexingP50Ms.toFixed(1)} | ${m.indexingP95Ms.toFixed(1)} | ${(m.indexingP95Ms / m.idleP95Ms).toFixed(2)} | ${m.indexingMaxMs.toFixed(0)} | ${m.indexingQueries} | ${m.indexRate.toFixed(2)} |`,
      );
    }
    if (values.json) {
      const result = { machine, reps, large: largeCount, summary, results };
      await writeJson(values.json, result satisfies SearchWhileIndexingResult);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function measure(
  workDir: string,
  imageThread: SessionThread,
  input: { seedFolder: string; largeFolder: string; nextText: () => string },
): Promise<Measurement> {
  // The library as the app would find it: the model installed, the seed folder indexed.
  const dataDir = path.join(workDir, 'data');
  const prepared = await openBenchCore(workDir, 'int8', path.join(dataDir, 'library.db'));
  await prepared.core.addFolder(input.seedFolder);
  await prepared.core.index({ folders: [input.seedFolder] });
  await prepared.core.dispose();

  const host = new Worker(hostEntry, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PHOTOSEEK_DATA_DIR: dataDir, PHOTOSEEK_IMAGE_THREAD: imageThread },
  });
  const client = createCoreClient(nodePortTransport(host));
  try {
    const timeQuery = async (): Promise<number> => {
      const started = performance.now();
      await client['search.text'](input.nextText(), { limit: 100 });
      return performance.now() - started;
    };
    // The live host reconciles the seed folder at start; wait until it is idle.
    while ((await client['library.status']()).queued > 0) await sleep(100);
    await timeQuery(); // the text tower's session
    const idle: number[] = [];
    for (let i = 0; i < IDLE_QUERIES; i++) idle.push(await timeQuery());

    let done = false;
    const started = performance.now();
    await client['folders.add'](input.largeFolder);
    // Live mode indexes the new folder by itself; this start waits behind that run.
    const run = client['index.start']([input.largeFolder]).finally(() => (done = true));
    const during: number[] = [];
    while (!done) {
      during.push(await timeQuery());
      await sleep(QUERY_GAP_MS);
    }
    await run;
    const seconds = (performance.now() - started) / 1000;
    const status = await client['library.status']();
    return {
      idleP50Ms: percentile(idle, 50),
      idleP95Ms: percentile(idle, 95),
      indexingP50Ms: percentile(during, 50),
      indexingP95Ms: percentile(during, 95),
      indexingMaxMs: Math.max(...during),
      indexingQueries: during.length,
      indexRate: (status.photos - 64) / seconds,
    };
  } finally {
    client.dispose();
    await host.terminate();
  }
}

function medianOf(measurements: Measurement[]): Measurement {
  const keys = Object.keys(measurements[0]!) as (keyof Measurement)[];
  return Object.fromEntries(
    keys.map((key) => [key, median(measurements.map((m) => m[key]))]),
  ) as unknown as Measurement;
}

await main();
