import type { RepairReport } from '../core/store/repair';
import type {
  DuplicateGroup,
  ClusterNode,
  Failure,
  IndexReport,
  LibraryFacets,
  LibraryStatus,
  ModelLicenceSummary,
  ModelSummary,
  SearchHit,
} from '../shared/types';

/** Plain-text renderings of core results for the terminal (`--json` prints the data instead). */

/** Weak hits shown when a query has no good match, so the user sees what came nearest. */
export const NEAREST_WEAK_HITS = 8;

/**
 * The good and strong hits ([Note: Relevance cut-off]); `all` shows the weak ones too. A query
 * with no good match says so and lists the nearest few, marked weak.
 */
export function formatHits(
  hits: readonly SearchHit[],
  { all, query }: { all: boolean; query: string },
): string {
  if (hits.length === 0) return 'No matching photos.';
  const good = hits.filter((hit) => hit.relevance !== 'weak');
  if (all) return hitTable(hits);
  if (good.length === 0) {
    const nearest = hits.slice(0, NEAREST_WEAK_HITS);
    return [
      `No good match for ${query}. The nearest ${nearest.length} (weak):`,
      hitTable(nearest),
    ].join('\n');
  }
  const hidden = hits.length - good.length;
  return [
    hitTable(good),
    ...(hidden > 0 ? [`${hidden} weaker matches hidden (--all shows them).`] : []),
  ].join('\n');
}

function hitTable(hits: readonly SearchHit[]): string {
  const rows = hits.map((hit, index) =>
    [
      String(index + 1).padStart(3),
      hit.score.toFixed(3),
      (hit.relevance ?? '').padEnd(6),
      `#${hit.photoId}`.padEnd(7),
      formatDate(hit.takenAt).padEnd(10),
      hit.path,
    ].join('  '),
  );
  return ['  #  score  match   photo    taken       path', ...rows].join('\n');
}

/** `photoseek facets`: the values the filter flags take, with how many photos have each. */
export function formatFacets(facets: LibraryFacets): string {
  const list = (rows: { value: string; count: number }[]) =>
    rows.length === 0
      ? '  (none)'
      : rows.map((row) => `  ${row.count.toString().padStart(7)}  ${row.value}`).join('\n');
  const span = facets.dateSpan
    ? `${formatDate(facets.dateSpan.first)} to ${formatDate(facets.dateSpan.last)}`
    : 'no dates';
  return [
    `${facets.photos} photos, taken ${span}; ${facets.withLocation} with a location (--has-location).`,
    'Cameras (--camera):',
    list(facets.cameras.map((row) => ({ value: row.camera, count: row.count }))),
    'Formats (--format):',
    list(facets.formats.map((row) => ({ value: row.format, count: row.count }))),
    'Orientations (--orientation):',
    list(facets.orientations.map((row) => ({ value: row.orientation, count: row.count }))),
  ].join('\n');
}

export function formatReport(report: IndexReport): string {
  const parts = [
    `${report.indexed} indexed`,
    `${report.unchanged} unchanged`,
    `${report.failed} failed`,
    `${report.removed} removed`,
  ];
  return (
    `Done in ${report.seconds.toFixed(1)} s: ${parts.join(', ')} (${report.scanned} files scanned).` +
    (report.failed > 0 ? '\nRun `photoseek failures` to see why files could not be read.' : '')
  );
}

/**
 * `photoseek status`. `modelProblem` says why there is no usable model (none chosen, or the active
 * one's files are missing). Reaching this means the database passed its damage check.
 */
export function formatStatus(status: LibraryStatus, modelProblem?: string): string {
  const lines = [
    `Library:  ${status.databasePath} (no damage found)`,
    `Model:    ${formatActiveModel(status, modelProblem)}`,
    `Photos:   ${status.photos} (${status.files} files, ${status.embedded} embedded with the active model)`,
    ...(status.switching
      ? [
          `Search:   still ${status.switching.searchModel} while switching models: ${status.switching.embedded} of ${status.switching.total} photos re-embedded`,
        ]
      : []),
    `Queue:    ${formatQueue(status)}`,
    `Failures: ${status.failures}`,
    `Folders:  ${status.folders.length === 0 ? 'none — add one with `photoseek index <folder>`' : ''}`,
    ...status.folders.map(
      (folder) => `  ${folder.path}  (${folder.indexedCount} indexed of ${folder.fileCount})`,
    ),
  ];
  return lines.join('\n');
}

function formatActiveModel(status: LibraryStatus, modelProblem: string | undefined): string {
  if (status.model) return `${status.model.name} (${status.model.id})`;
  return modelProblem ?? 'none installed — run `photoseek models download`';
}

function formatQueue(status: LibraryStatus): string {
  if (status.queued === 0) return 'empty: nothing waits to be indexed';
  const files = `${status.queued} file${status.queued === 1 ? '' : 's'} waiting`;
  return status.paused
    ? `${files} (paused) — resume in the app, or run \`photoseek index\``
    : `${files} — run \`photoseek index\` or \`photoseek watch\` to index them`;
}

export function formatRepair(report: RepairReport): string {
  const lost = report.tables.filter((table) => !table.complete).map((table) => table.name);
  const lines = [
    `Rebuilt ${report.databasePath}: ${report.photos} photos, ${report.files} files kept.`,
    `The damaged file is kept as ${report.backupPath} (delete it once all is well).`,
  ];
  if (report.schemaLost) {
    lines.push(
      'Nothing in the damaged file could be read: add your folders again with `photoseek index <folder>`.',
    );
  } else if (lost.length > 0 || report.dropped > 0) {
    lines.push(
      `Unreadable rows in: ${lost.join(', ') || 'none'}; ${report.dropped} rows pointing at them were left out.`,
      'Run `photoseek index` to read the affected photos from disk again (a folder missing from `photoseek status` must be added again).',
    );
  } else {
    lines.push('Every row could be read.');
  }
  return lines.join('\n');
}

export function formatFailures(failures: readonly Failure[]): string {
  if (failures.length === 0) return 'No failures: every file was read.';
  return failures
    .map((failure) => `${failure.path}\n    ${failure.stage} ${failure.code}: ${failure.message}`)
    .join('\n');
}

export function formatModels(models: readonly ModelSummary[]): string {
  return models
    .map((model) => {
      const flags = [
        model.active ? 'active' : '',
        model.installed ? 'installed' : 'not installed',
        model.source,
      ]
        .filter(Boolean)
        .join(', ');
      const size = model.bytes ? `, ${(model.bytes / 1e6).toFixed(0)} MB` : '';
      const line = `${model.active ? '*' : ' '} ${model.id.padEnd(24)} ${model.name} (${flags}${size})`;
      const details = [
        model.textSearch ? '' : 'image only: find-similar and image queries, no text search',
        model.libraryVectors
          ? `vectors in this library: ${model.libraryVectors.photos} photos, about ${formatMegabytes(model.libraryVectors.bytes)}${model.active ? '' : ' (`photoseek models remove` frees them)'}`
          : '',
        model.licence ? `licence: ${licenceLine(model.licence)}` : '',
      ].filter(Boolean);
      return [line, ...details.map((detail) => `  ${' '.repeat(24)} ${detail}`)].join('\n');
    })
    .join('\n');
}

/** Bytes as "12.3 MB" (decimal megabytes, as file managers show them). */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
}

/** "Apple ML Research Model licence (non-commercial research only: …) <url>". */
export function licenceLine(licence: ModelLicenceSummary): string {
  const terms = [
    licence.commercialUse ? '' : 'non-commercial research use only',
    licence.note ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  return `${licence.name}${terms ? ` (${terms})` : ''}${licence.url ? ` ${licence.url}` : ''}`;
}

export function formatDate(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().slice(0, 10);
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

export function formatDuplicates(groups: readonly DuplicateGroup[]): string {
  if (groups.length === 0) return 'No duplicates found.';
  const exact = groups.filter((group) => group.kind === 'exact').length;
  const blocks = groups.map((group, index) => {
    const title = `${index + 1}. ${group.kind === 'exact' ? 'Exact copies' : 'Same shot'} (${group.photos.length}): keep #${group.suggested}, ${group.reason}`;
    const rows = group.photos.map((photo) =>
      [
        group.kind === 'similar' && photo.photoId === group.suggested ? '  *' : '   ',
        `#${photo.photoId}`.padEnd(7),
        photo.similarity.toFixed(3),
        `${photo.width}×${photo.height}`.padEnd(11),
        formatMegabytes(photo.bytes).padStart(9),
        photo.path,
      ].join('  '),
    );
    return [title, ...rows].join('\n');
  });
  const summary = `${groups.length} groups: ${exact} of exact copies, ${groups.length - exact} of the same shot. Nothing was deleted.`;
  return [...blocks, summary].join('\n\n');
}

/** An indented tree: each cluster's name and size, its sub-clusters below it. */
export function formatClusters(clusters: readonly ClusterNode[], depth = 0): string {
  if (clusters.length === 0 && depth === 0)
    return 'No clusters: the library has no indexed photos yet.';
  return clusters
    .flatMap((cluster) => [
      `${'  '.repeat(depth)}${cluster.name} (${cluster.size} photo${cluster.size === 1 ? '' : 's'})`,
      ...(cluster.children.length > 0 ? [formatClusters(cluster.children, depth + 1)] : []),
    ])
    .join('\n');
}
