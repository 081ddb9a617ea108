/**
 * `npm run bench`: every benchmark, each in its own process, then the results into
 * docs/benchmarks.md (only the generated section: bench/lib/benchmarks-doc.ts).
 *
 *   npm run bench [-- --only indexing,query,knn,library,memory] [--reps N] [--query-sizes 10000,100000]
 *                 [--library-size 100000] [--quick] [--no-write]
 *
 * `--reps N` sets every bench's repetitions (default: each bench's own, indexing 5, the others 3).
 * Defaults take 5–10 minutes on 2 cores. `--query-sizes 10000,100000,1000000` adds the opt-in
 * 1M-photo query run (several more minutes and ~5 GB of temporary disk). `--quick` is a smoke run
 * with small sizes and one repetition. The synthetic libraries are built once per run in a
 * temporary folder and shared by the query and library benches.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { positiveInt } from './lib/args';
import { ensureBenchModels, projectRoot } from './lib/bench-models';
import type { BenchRun } from './lib/benchmarks-doc';
import { renderRun, writeRunIntoDoc } from './lib/benchmarks-doc';
import { describeMachine } from './lib/machine';
import type { IndexingResult, LibraryResult, QueryResult } from './lib/results';
import { markdownTables, runBenchScript } from './lib/run-script';

const BENCHES = ['indexing', 'query', 'knn', 'library', 'memory'] as const;
type Bench = (typeof BENCHES)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: BENCHES.join(',') },
      reps: { type: 'string' },
      'query-sizes': { type: 'string', default: '10000,100000' },
      'library-size': { type: 'string', default: '100000' },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const only = values.only.split(',').map(parseBench);
  const quick = values.quick;
  // Each bench's own default unless given (indexing repeats more: it is the noisiest).
  const reps = quick ? '1' : values.reps && String(positiveInt(values.reps, '--reps'));
  const repsArgs = reps ? ['--reps', reps] : [];
  const querySizes = quick ? '10000' : values['query-sizes'];
  const librarySize = quick
    ? '10000'
    : String(positiveInt(values['library-size'], '--library-size'));
  const started = performance.now();
  const run: BenchRun = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: [
      'npm run bench',
      ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
    ].join(' '),
    machine: describeMachine(),
    minutes: 0,
  };
  ensureBenchModels();
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-bench-'));
  const libraries = path.join(work, 'libraries');
  const json = (name: string) => path.join(work, `${name}.json`);
  const script = (name: string) => path.join(projectRoot, 'bench', `${name}.bench.ts`);
  try {
    if (only.includes('indexing')) {
      const sizes = quick ? ['--photos', '16', '--large', '8'] : [];
      await runBenchScript(script('indexing'), [...repsArgs, ...sizes, '--json', json('indexing')]);
      run.indexing = JSON.parse(await readFile(json('indexing'), 'utf8')) as IndexingResult;
    }
    if (only.includes('query')) {
      const args = [
        '--sizes',
        querySizes,
        ...repsArgs,
        '--library-dir',
        libraries,
        '--json',
        json('query'),
      ];
      await runBenchScript(script('query'), args);
      run.query = JSON.parse(await readFile(json('query'), 'utf8')) as QueryResult;
    }
    if (only.includes('knn')) {
      const args = ['--sizes', quick ? '10000' : '10000,100000', '--queries', quick ? '20' : '100'];
      run.knnTables = markdownTables(await runBenchScript(script('knn'), args));
      run.knnCommand = `npx tsx bench/knn.bench.ts ${args.join(' ')}`;
    }
    if (only.includes('library')) {
      const sizes = quick ? ['--photos', '16', '--large', '4'] : [];
      const args = [
        '--size',
        librarySize,
        ...repsArgs,
        ...sizes,
        '--library-dir',
        libraries,
        '--json',
        json('library'),
      ];
      await runBenchScript(script('library'), args);
      run.library = JSON.parse(await readFile(json('library'), 'utf8')) as LibraryResult;
    }
    if (only.includes('memory')) {
      const args = ['--reps', reps || '3'];
      run.memoryTables = markdownTables(await runBenchScript(script('memory'), args));
      run.memoryCommand = `npx tsx bench/memory.bench.ts ${args.join(' ')}`;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  run.minutes = (performance.now() - started) / 60_000;
  const section = renderRun(run);
  console.log(`\n${section}`);
  if (!values['no-write']) {
    const doc = path.join(projectRoot, 'docs', 'benchmarks.md');
    await writeRunIntoDoc(doc, section);
    console.log(`\nUpdated ${doc}`);
  }
}

function parseBench(text: string): Bench {
  const bench = BENCHES.find((name) => name === text.trim());
  if (!bench) throw new Error(`--only takes ${BENCHES.join(', ')}; not "${text}"`);
  return bench;
}

await main();
