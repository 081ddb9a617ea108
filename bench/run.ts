/**
 * `npm run bench`: every benchmark, each in its own process, then the results into
 * docs/benchmarks.md (only the generated section: bench/lib/benchmarks-doc.ts), headed by issue
 * 12's targets judged on this run (bench/lib/targets.ts).
 *
 *   npm run bench [-- --only indexing,query,search-while-indexing,knn,library,memory] [--reps N]
 *                 [--query-sizes 10000,100000] [--library-size 100000] [--quick] [--no-write]
 *
 * `--reps N` sets every bench's repetitions (default: each bench's own, indexing 5, the others 3).
 * The query bench runs twice: 20 hits at every `--query-sizes`, and the app's page of 1,000 hits at
 * 100,000 photos. Defaults take 10–15 minutes on 2 cores. `--query-sizes 10000,100000,1000000` adds
 * the opt-in one-million-photo case: the query bench, the KNN bench and (unless `--library-size`
 * says otherwise) the library bench at 1M (much longer, ~5 GB of temporary disk). `--quick` is a
 * smoke run with small sizes and one repetition. The synthetic libraries are built once per run in
 * a temporary folder and shared by the query and library benches.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { positiveInt, positiveInts } from './lib/args';
import { ensureBenchModels, projectRoot } from './lib/bench-models';
import type { BenchRun } from './lib/benchmarks-doc';
import { renderRun, writeRunIntoDoc } from './lib/benchmarks-doc';
import { timeDirectoryWalk } from './lib/directory-walk';
import { describeMachine } from './lib/machine';
import type {
  IndexingResult,
  KnnResult,
  LibraryResult,
  QueryResult,
  SearchWhileIndexingResult,
} from './lib/results';
import { markdownTables, runBenchScript } from './lib/run-script';
import { ONE_MILLION, PAGE } from './lib/targets';

const BENCHES = ['indexing', 'query', 'search-while-indexing', 'knn', 'library', 'memory'] as const;
type Bench = (typeof BENCHES)[number];

const ONE_MILLION_OPT_IN = '`npm run bench -- --query-sizes 10000,100000,1000000`';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: BENCHES.join(',') },
      reps: { type: 'string' },
      'query-sizes': { type: 'string', default: '10000,100000' },
      'library-size': { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const only = values.only.split(',').map(parseBench);
  const quick = values.quick;
  // Each bench's own default unless given (indexing repeats more: it is the noisiest).
  const reps = quick ? '1' : values.reps && String(positiveInt(values.reps, '--reps'));
  const repsArgs = reps ? ['--reps', reps] : [];
  const querySizes = quick ? [10_000] : positiveInts(values['query-sizes'], '--query-sizes');
  const oneMillion = querySizes.includes(ONE_MILLION.size);
  const pageSize = quick ? 10_000 : PAGE.size;
  const librarySize = quick
    ? 10_000
    : values['library-size']
      ? positiveInt(values['library-size'], '--library-size')
      : oneMillion
        ? ONE_MILLION.size
        : 100_000;
  const knnSizes = quick ? '10000' : oneMillion ? '10000,100000,1000000' : '10000,100000';
  const started = performance.now();
  const run: BenchRun = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: [
      'npm run bench',
      ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
    ].join(' '),
    machine: describeMachine(),
    minutes: 0,
    quick,
    imageThread: process.env['PHOTOSEEK_IMAGE_THREAD'] === 'this' ? 'this' : 'worker',
    oneMillionOptIn: ONE_MILLION_OPT_IN,
  };
  ensureBenchModels();
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-bench-'));
  const libraries = path.join(work, 'libraries');
  const json = (name: string) => path.join(work, `${name}.json`);
  const readJson = async <T>(name: string) => JSON.parse(await readFile(json(name), 'utf8')) as T;
  const script = (name: string) => path.join(projectRoot, 'bench', `${name}.bench.ts`);
  try {
    if (only.includes('indexing')) {
      const sizes = quick ? ['--photos', '16', '--large', '8'] : [];
      await runBenchScript(script('indexing'), [...repsArgs, ...sizes, '--json', json('indexing')]);
      run.indexing = await readJson<IndexingResult>('indexing');
    }
    if (only.includes('query')) {
      const queryRun = async (sizes: readonly number[], limit: number, name: string) => {
        const args = ['--sizes', sizes.join(','), '--limit', String(limit), ...repsArgs];
        await runBenchScript(script('query'), [
          ...args,
          '--library-dir',
          libraries,
          '--json',
          json(name),
        ]);
        return readJson<QueryResult>(name);
      };
      run.query = {
        k20: await queryRun(querySizes, 20, 'query-k20'),
        k1000: await queryRun([pageSize], PAGE.k, 'query-k1000'),
      };
    }
    if (only.includes('search-while-indexing')) {
      const sizes = quick ? ['--large', '4'] : [];
      const args = [...repsArgs, ...sizes, '--json', json('search-while-indexing')];
      await runBenchScript(script('search-while-indexing'), args);
      run.searchWhileIndexing = await readJson<SearchWhileIndexingResult>('search-while-indexing');
    }
    if (only.includes('knn')) {
      const args = ['--sizes', knnSizes, '--queries', quick ? '20' : '100'];
      const output = await runBenchScript(script('knn'), [...args, '--json', json('knn')]);
      run.knnTables = markdownTables(output);
      run.knnCommand = `npx tsx bench/knn.bench.ts ${args.join(' ')}`;
      run.knn = await readJson<KnnResult>('knn');
    }
    if (only.includes('library')) {
      const sizes = quick ? ['--photos', '16', '--large', '4'] : [];
      const args = [
        '--size',
        String(librarySize),
        ...repsArgs,
        ...sizes,
        '--library-dir',
        libraries,
        '--json',
        json('library'),
      ];
      await runBenchScript(script('library'), args);
      const library = await readJson<LibraryResult>('library');
      // The folder the library bench rescanned (bench/lib/synthetic-library.ts under --library-dir).
      const photos = path.join(libraries, `library-${librarySize}`, 'photos');
      run.library = {
        ...library,
        walk: library.walk ?? (await timeDirectoryWalk(photos, library.reps)),
      };
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
