/**
 * docs/benchmarks.md: `npm run bench` rewrites only the part between the two markers below (the
 * latest run's setup and tables); everything outside them is written by people (method, analysis,
 * history) and kept as it is.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as prettier from 'prettier';
import type { MachineInfo } from './machine';
import { machineLine } from './machine';
import type {
  IndexingResult,
  LibraryResult,
  QueryResult,
  SearchWhileIndexingResult,
} from './results';
import { indexingTable, libraryTable, queryTable, searchWhileIndexingTable } from './tables';
import type { RunFigures } from './targets';
import { evaluateTargets, targetsTable } from './targets';

export const BEGIN =
  '<!-- bench:begin — written by `npm run bench` (bench/run.ts); edit outside the markers -->';
export const END = '<!-- bench:end -->';

export interface BenchRun extends RunFigures {
  date: string;
  command: string;
  machine: MachineInfo;
  minutes: number;
  /** A smoke run (`--quick`): small sizes, one repetition; most targets are "not run". */
  quick: boolean;
  /** Tables printed by bench/knn.bench.ts, verbatim. */
  knnTables?: string[][];
  knnCommand?: string;
  /** Tables printed by bench/memory.bench.ts, verbatim. */
  memoryTables?: string[][];
  memoryCommand?: string;
}

export function renderRun(run: BenchRun): string {
  const lines = [
    '## Latest run',
    '',
    `- Date: ${run.date}`,
    `- Command: \`${run.command}\` (${run.minutes.toFixed(1)} min)${run.quick ? ' — a smoke run: small sizes, one repetition' : ''}`,
    `- Machine: ${machineLine(run.machine)}; image tower on ${run.imageThread === 'worker' ? 'its worker thread' : 'the calling thread (PHOTOSEEK_IMAGE_THREAD=this)'}`,
    '- Every number is the median of the repetitions stated per section. Runs on a machine shared',
    '  with other work are noisy (the load at start is above; other work may start during the run):',
    '  compare runs only on the same machine at similar load, and prefer the ratios, which are',
    '  measured within this run.',
    '',
    '### Targets (issue 12, "Speed")',
    '',
    'Judged on this run\'s figures by bench/lib/targets.ts: "not run" = the bench or size was not',
    'part of this run; "reported" = the target asks for the figure only.',
    '',
    ...targetsTable(evaluateTargets(run)),
  ];
  if (run.indexing) lines.push('', ...indexingSection(run.indexing));
  if (run.query?.k20) lines.push('', ...querySection(run.query.k20, 20));
  if (run.query?.k1000) lines.push('', ...querySection(run.query.k1000, 1000));
  if (run.searchWhileIndexing)
    lines.push('', ...searchWhileIndexingSection(run.searchWhileIndexing));
  if (run.knnTables) {
    lines.push(
      '',
      '### KNN alone (bench/knn.bench.ts)',
      '',
      `\`${run.knnCommand ?? ''}\`: one run, p50/p95 over its queries.`,
    );
    for (const table of run.knnTables) lines.push('', ...table);
  }
  if (run.library) lines.push('', ...librarySection(run.library));
  if (run.memoryTables) {
    lines.push(
      '',
      '### Peak memory on hostile files (bench/memory.bench.ts)',
      '',
      `\`${run.memoryCommand ?? ''}\`: peak RSS of each CLI process, model included; bound 1 GiB.`,
    );
    for (const table of run.memoryTables) lines.push('', ...table);
  }
  return lines.join('\n');
}

function indexingSection(result: IndexingResult): string[] {
  return [
    '### Indexing throughput',
    '',
    `Images per second, median of ${result.reps} repetitions; decode and inference alone, then core.index() ` +
      'on the same photos. Limit = 1 / (1/decode + 1/inference); "steady" = first to last finished batch.',
    '',
    ...indexingTable(result.rows),
  ];
}

function querySection(result: QueryResult, hits: number): string[] {
  return [
    `### Text query latency (end to end), ${hits.toLocaleString('en-US')} hits`,
    '',
    `core.search(text, ${hits.toLocaleString('en-US')} hits) on synthetic libraries; p50/p95 over the queries of a repetition, ` +
      `median of ${result.reps} repetitions. Flat scan: rclip's method on the same query vectors (every float32 ` +
      'embedding scored in JavaScript, then the top k); "KNN ×" = flat scan / KNN.',
    '',
    ...queryTable(result.rows),
  ];
}

function searchWhileIndexingSection(result: SearchWhileIndexingResult): string[] {
  return [
    '### Search while indexing (bench/search-while-indexing.bench.ts)',
    '',
    `Text queries over the RPC to the core host in a worker thread, idle and while ${result.large} generated 12 MP JPEGs ` +
      `are indexed (one query every 50 ms); median of ${result.reps} repetitions.`,
    '',
    ...searchWhileIndexingTable(result),
  ];
}

function librarySection(result: LibraryResult): string[] {
  return [
    '### Library: cold start, rescan, memory, size',
    '',
    `Median of ${result.reps} repetitions (cold start, rescan); one indexing run for memory.`,
    '',
    ...libraryTable(result),
  ];
}

/** Replaces the generated section of `file` (creating the file around it when missing). */
export async function writeRunIntoDoc(file: string, section: string): Promise<void> {
  const generated = `${BEGIN}\n\n${section}\n\n${END}`;
  const current = existsSync(file)
    ? await readFile(file, 'utf8')
    : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next =
    begin >= 0 && end > begin
      ? current.slice(0, begin) + generated + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${generated}\n`;
  // Formatted as `npm run lint` checks it (prettier --check), with the project's own options.
  const options = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(next, { ...options, filepath: file }));
}
