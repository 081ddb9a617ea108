/** Markdown tables of the bench results, printed by the scripts and written to docs/benchmarks.md. */
import type { IndexingRow, LibraryResult, QueryRow, SearchWhileIndexingResult } from './results';

/** A figure to `digits` places, or '–' when there is none (NaN, which JSON writes as null). */
export const fixed = (value: number | null, digits = 1): string =>
  value !== null && Number.isFinite(value) ? value.toFixed(digits) : '–';

export function indexingTable(rows: readonly IndexingRow[]): string[] {
  return [
    '| photos | model | decode img/s | inference img/s | limit img/s | pipeline img/s (steady) | pipeline / limit (steady) |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.set} | ${row.precision} | ${fixed(row.decode)} | ${fixed(row.inference)} | ${fixed(row.limit)} | ` +
        `${fixed(row.pipeline)} (${fixed(row.pipelineSteady)}) | ${fixed(row.ratio, 2)} (${fixed(row.ratioSteady, 2)}) |`,
    ),
  ];
}

export function queryTable(rows: readonly QueryRow[]): string[] {
  return [
    '| photos | model | e2e p50 ms | e2e p95 ms | parts p50 ms: text tower / KNN (p95) / rows | flat scan p50 ms (KNN ×) | first query ms |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.size.toLocaleString('en-US')} | ${row.precision} | ${fixed(row.e2eP50Ms)} | ${fixed(row.e2eP95Ms)} | ` +
        `${fixed(row.textP50Ms)} / ${fixed(row.knnP50Ms)} (${fixed(row.knnP95Ms)}) / ${fixed(row.rowsP50Ms)} | ` +
        `${fixed(row.flatScanP50Ms)} (${fixed(row.knnSpeedup)}×) | ${fixed(row.firstQueryMs, 0)} |`,
    ),
  ];
}

export function libraryTable(result: LibraryResult): string[] {
  const { coldStart, rescan, indexing } = result;
  const size = result.size.toLocaleString('en-US');
  const perPhoto = (bytes: number) => `${(bytes / indexing.photos / 1024).toFixed(1)} KiB`;
  return [
    '| measure | value |',
    '|---|---:|',
    `| cold start, ${size} photos: process start → first result | ${fixed(coldStart.wallMs, 0)} ms |`,
    `| … of which Node + tsx boot / core import / open database / first query | ${fixed(coldStart.bootMs, 0)} / ${fixed(coldStart.importMs, 0)} / ${fixed(coldStart.openMs, 0)} / ${fixed(coldStart.firstQueryMs, 0)} ms |`,
    ...(result.firstStartMs !== undefined && Number.isFinite(result.firstStartMs)
      ? [
          `| first start after the library was written (codes from SQLite, snapshot written) | ${fixed(result.firstStartMs, 0)} ms |`,
        ]
      : []),
    `| rescan, ${size} unchanged files | ${fixed(rescan.seconds, 1)} s (${fixed(rescan.files / rescan.seconds, 0)} files/s) |`,
    ...(result.walk
      ? [
          `| bare directory walk of the same ${result.walk.files.toLocaleString('en-US')} files (names only) | ${fixed(result.walk.seconds, 2)} s (rescan ${fixed(rescan.seconds / result.walk.seconds)} ×) |`,
        ]
      : []),
    `| peak RSS while indexing ${indexing.photos} photos (int8) | ${fixed(indexing.peakRssMB, 0)} MiB |`,
    `| RSS at rest after indexing | ${fixed(indexing.restRssMB, 0)} MiB |`,
    `| RSS at rest, ${size}-photo library open after a query | ${fixed(coldStart.restRssMB, 0)} MiB |`,
    `| database bytes per photo, ${size} synthetic (512-d) | ${(result.syntheticBytesPerPhoto / 1024).toFixed(1)} KiB |`,
    `| database / thumbnail bytes per photo, ${indexing.photos} real photos | ${perPhoto(indexing.databaseBytes)} / ${perPhoto(indexing.thumbnailBytes)} |`,
  ];
}

export function searchWhileIndexingTable(result: SearchWhileIndexingResult): string[] {
  const modes = [
    ['worker thread (default)', result.summary.worker],
    ["host's thread (`IMAGE_THREAD=this`)", result.summary.this],
  ] as const;
  return [
    '| image tower | idle p50 ms | idle p95 ms | indexing p50 ms | indexing p95 ms | p95 / idle p95 | slowest ms | queries | index img/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...modes.map(
      ([name, m]) =>
        `| ${name} | ${fixed(m.idleP50Ms)} | ${fixed(m.idleP95Ms)} | ${fixed(m.indexingP50Ms)} | ${fixed(m.indexingP95Ms)} | ` +
        `${fixed(m.indexingP95Ms / m.idleP95Ms, 2)} | ${fixed(m.indexingMaxMs, 0)} | ${fixed(m.indexingQueries, 0)} | ${fixed(m.indexRate, 2)} |`,
    ),
  ];
}
