import type { Failure, IndexReport, LibraryStatus, ModelSummary, SearchHit } from '../shared/types';

/** Plain-text renderings of core results for the terminal (`--json` prints the data instead). */

export function formatHits(hits: readonly SearchHit[]): string {
  if (hits.length === 0) return 'No matching photos.';
  const rows = hits.map((hit, index) =>
    [
      String(index + 1).padStart(3),
      hit.score.toFixed(3),
      `#${hit.photoId}`.padEnd(7),
      formatDate(hit.takenAt).padEnd(10),
      hit.path,
    ].join('  '),
  );
  return ['  #  score  photo    taken       path', ...rows].join('\n');
}

export function formatReport(report: IndexReport): string {
  const parts = [
    `${report.indexed} indexed`,
    `${report.unchanged} unchanged`,
    `${report.failed} failed`,
    `${report.removed} removed`,
  ];
  return `Done in ${report.seconds.toFixed(1)} s: ${parts.join(', ')} (${report.scanned} files scanned).` +
    (report.failed > 0 ? '\nRun `photoseek failures` to see why files could not be read.' : '');
}

export function formatStatus(status: LibraryStatus): string {
  const lines = [
    `Library:  ${status.databasePath}`,
    `Model:    ${status.model ? `${status.model.name} (${status.model.id})` : 'none installed — run `photoseek models download`'}`,
    `Photos:   ${status.photos} (${status.files} files, ${status.embedded} embedded with the active model)`,
    `Failures: ${status.failures}`,
    `Folders:  ${status.folders.length === 0 ? 'none — add one with `photoseek index <folder>`' : ''}`,
    ...status.folders.map((folder) => `  ${folder.path}  (${folder.indexedCount} indexed of ${folder.fileCount})`),
  ];
  return lines.join('\n');
}

export function formatFailures(failures: readonly Failure[]): string {
  if (failures.length === 0) return 'No failures: every file was read.';
  return failures.map((failure) => `${failure.path}\n    ${failure.stage} ${failure.code}: ${failure.message}`).join('\n');
}

export function formatModels(models: readonly ModelSummary[]): string {
  return models
    .map((model) => {
      const flags = [model.active ? 'active' : '', model.installed ? 'installed' : 'not installed', model.source]
        .filter(Boolean)
        .join(', ');
      const size = model.bytes ? `, ${(model.bytes / 1e6).toFixed(0)} MB` : '';
      return `${model.active ? '*' : ' '} ${model.id.padEnd(24)} ${model.name} (${flags}${size})`;
    })
    .join('\n');
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
