/**
 * docs/benchmarks.md: `npm run bench` rewrites only the part between the two markers below (the
 * latest run's setup and tables); everything outside them is written by people (method, analysis,
 * history) and kept as it is.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { MachineInfo } from './machine';
import { machineLine } from './machine';
import type { IndexingResult, LibraryResult, QueryResult } from './results';
import { indexingTable, libraryTable, queryTable } from './tables';

export const BEGIN =
  '<!-- bench:begin — written by `npm run bench` (bench/run.ts); edit outside the markers -->';
export const END = '<!-- bench:end -->';

export const PIPELINE_TARGET = 0.9;
export const QUERY_TARGET = { size: 100_000, p50Ms: 40 };

export interface BenchRun {
  date: string;
  command: string;
  machine: MachineInfo;
  minutes: number;
  indexing?: IndexingResult;
  query?: QueryResult;
  /** Tables printed by bench/knn.bench.ts, verbatim. */
  knnTables?: string[][];
  knnCommand?: string;
  library?: LibraryResult;
  /** Tables printed by bench/memory.bench.ts, verbatim. */
  memoryTables?: string[][];
  memoryCommand?: string;
}

export function renderRun(run: BenchRun): string {
  const lines = [
    '## Latest run',
    '',
    `- Date: ${run.date}`,
    `- Command: \`${run.command}\` (${run.minutes.toFixed(1)} min)`,
    `- Machine: ${machineLine(run.machine)}`,
    '- Every number is the median of the repetitions stated per section. Runs on a machine shared',
    '  with other work are noisy: compare runs only on the same machine at similar load.',
  ];
  if (run.indexing) lines.push('', ...indexingSection(run.indexing));
  if (run.query) lines.push('', ...querySection(run.query));
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
  const verdict = (ratio: number) =>
    Number.isNaN(ratio) ? 'n/a' : ratio >= PIPELINE_TARGET ? 'met' : 'MISSED';
  return [
    '### Indexing throughput',
    '',
    `Images per second, median of ${result.reps} repetitions; decode and inference alone, then core.index() ` +
      'on the same photos. Limit = 1 / (1/decode + 1/inference); "steady" = first to last finished batch.',
    '',
    ...indexingTable(result.rows),
    '',
    `Target pipeline ≥ ${PIPELINE_TARGET} × limit: ` +
      result.rows
        .map(
          (row) =>
            `${row.precision} ${row.set.split(' (')[0]} ${verdict(row.ratio)} (steady ${verdict(row.ratioSteady)})`,
        )
        .join('; ') +
      '.',
  ];
}

function querySection(result: QueryResult): string[] {
  const target = result.rows.find((row) => row.size === QUERY_TARGET.size);
  return [
    '### Text query latency (end to end)',
    '',
    `core.search(text, 20 hits) on synthetic libraries; p50/p95 over the queries of a repetition, median of ${result.reps} repetitions.`,
    '',
    ...queryTable(result.rows),
    '',
    target
      ? `Target p50 ≤ ${QUERY_TARGET.p50Ms} ms at ${QUERY_TARGET.size.toLocaleString('en-US')}: ${target.e2eP50Ms <= QUERY_TARGET.p50Ms ? 'met' : 'MISSED'} (${target.e2eP50Ms.toFixed(1)} ms).`
      : `Target p50 ≤ ${QUERY_TARGET.p50Ms} ms at ${QUERY_TARGET.size.toLocaleString('en-US')}: not measured in this run.`,
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
  await writeFile(file, next);
}
