/**
 * Text query latency end to end through the core: tokenise, text tower (bench model, int8 by
 * default), KNN over the library's vectors, photo rows for the hits (20, or --limit: the app asks
 * for 1,000).
 *
 *   npx tsx bench/query.bench.ts [--sizes 10000,100000] [--queries 40] [--reps 3] [--limit 20]
 *                                [--precision int8] [--text-axis dynamic] [--library-dir DIR]
 *                                [--json out.json]
 *
 * Libraries are synthetic ([Note: Synthetic libraries]); `--sizes 1000000` is the opt-in 1M run
 * (minutes to build). `--library-dir` keeps them for other runs (bench/run.ts shares one with the
 * library bench); otherwise they are built in a temporary folder and deleted.
 *
 * Every query text is distinct. Each query is followed by its parts timed one by one on the same
 * vectors (bench/lib/query-parts.ts: text tower, VectorIndex.search, photo rows), so both see the
 * same load. The KNN with CLIP-like query vectors, recall and filters is bench/knn.bench.ts; here the
 * query vectors come from the random-weight text tower ([Note: Aligning the library with the bench
 * text tower]). Per repetition: p50 and p95 over the queries; reported: the median over repetitions.
 *
 * `--text-axis dynamic` (the default) gives the text tower a dynamic sequence axis, as the real
 * CLIP exports have, so the core runs it on the real token count ([Note: Bench text tower with a
 * dynamic sequence axis]); `fixed` is the built tower, always 77 positions (the path before).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SearchHit } from '../src-main/shared/types';
import { parsePrecisions, positiveInt, positiveInts, writeJson } from './lib/args';
import type { Precision } from './lib/bench-models';
import { ensureBenchModels, parseTextAxis, writeBenchModelFolder } from './lib/bench-models';
import { openBenchCore } from './lib/bench-core';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import { percentile } from './lib/percentile';
import type { PartTimes } from './lib/query-parts';
import { QueryParts } from './lib/query-parts';
import { queryTexts } from './lib/query-texts';
import type { QueryResult, QueryRow } from './lib/results';
import { syntheticLibrary } from './lib/synthetic-library';
import { queryTable } from './lib/tables';

const DEFAULT_LIMIT = 20;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      queries: { type: 'string', default: '40' },
      reps: { type: 'string', default: '3' },
      precision: { type: 'string', default: 'int8' },
      'library-dir': { type: 'string' },
      json: { type: 'string' },
      limit: { type: 'string', default: String(DEFAULT_LIMIT) },
      'text-axis': { type: 'string', default: 'dynamic' },
    },
  });
  const textAxis = parseTextAxis(values['text-axis']);
  const sizes = positiveInts(values.sizes, '--sizes');
  const queries = positiveInt(values.queries, '--queries');
  const reps = positiveInt(values.reps, '--reps');
  const limit = positiveInt(values.limit, '--limit');
  const [precision] = parsePrecisions(values.precision);
  const machine = describeMachine();
  console.log(`Query bench: ${machineLine(machine)}`);
  ensureBenchModels();
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-query-bench-'));
  const libraryDir = values['library-dir'] ?? work;
  try {
    const rows: QueryRow[] = [];
    for (const size of sizes) {
      const library = await syntheticLibrary(
        path.join(libraryDir, `library-${size}`),
        size,
        await writeBenchModelFolder(path.join(work, 'model'), precision!, textAxis),
        (line) => console.log(`[${size}] ${line}`),
      );
      const { core, model } = await openBenchCore(
        path.join(work, `core-${size}`),
        precision!,
        library.databasePath,
        {},
        textAxis,
      );
      const parts = new QueryParts(model, library.databasePath);
      try {
        rows.push({
          ...(await benchQueries(size, precision!, (text) => core.search(text, { limit }), parts, {
            queries,
            reps,
            limit,
          })),
          textAxis,
        });
      } finally {
        await parts.dispose();
        await core.dispose();
      }
    }
    console.log(`\n${queryTable(rows).join('\n')}`);
    if (values.json) await writeJson(values.json, { machine, reps, rows } satisfies QueryResult);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface QuerySample extends PartTimes {
  e2eMs: number;
}

async function benchQueries(
  size: number,
  precision: Precision,
  search: (text: string) => Promise<SearchHit[]>,
  parts: QueryParts,
  { queries, reps, limit }: { queries: number; reps: number; limit: number },
): Promise<QueryRow> {
  const firstStarted = performance.now();
  await search('a photo of a first query');
  const firstQueryMs = performance.now() - firstStarted;
  await parts.time('a photo of a first query', limit);
  const texts = queryTexts(queries * reps);
  const perRep: QuerySample[][] = [];
  for (let rep = 0; rep < reps; rep++) {
    const samples: QuerySample[] = [];
    for (const text of texts.slice(rep * queries, (rep + 1) * queries)) {
      const started = performance.now();
      const hits = await search(text);
      const e2eMs = performance.now() - started;
      if (hits.length !== limit)
        throw new Error(`"${text}" returned ${hits.length} hits, not ${limit}`);
      samples.push({ e2eMs, ...(await parts.time(text, limit)) });
    }
    perRep.push(samples);
    const p50 = (key: keyof QuerySample) =>
      percentile(
        samples.map((sample) => sample[key]),
        50,
      ).toFixed(1);
    console.log(
      `[${size}] rep ${rep + 1}: e2e p50 ${p50('e2eMs')} ms; parts p50: text ${p50('textMs')}, KNN ${p50('knnMs')}, rows ${p50('rowsMs')} ms; rclip's flat scan ${p50('flatScanMs')} ms`,
    );
  }
  const across = (key: keyof QuerySample, p: number) =>
    median(
      perRep.map((samples) =>
        percentile(
          samples.map((sample) => sample[key]),
          p,
        ),
      ),
    );
  return {
    size,
    precision,
    queries,
    firstQueryMs,
    e2eP50Ms: across('e2eMs', 50),
    e2eP95Ms: across('e2eMs', 95),
    textP50Ms: across('textMs', 50),
    knnP50Ms: across('knnMs', 50),
    knnP95Ms: across('knnMs', 95),
    rowsP50Ms: across('rowsMs', 50),
    flatScanP50Ms: across('flatScanMs', 50),
    knnSpeedup: across('flatScanMs', 50) / across('knnMs', 50),
  };
}

await main();
