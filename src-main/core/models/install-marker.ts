import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../files/atomic-write';
import { listModelFiles, resolveModelFile } from './model-files';
import type { ModelSpec } from './model-spec';

/**
 * [Note: Install marker] A registry model is verified once, when it is downloaded; the
 * downloader then writes `photoseek-installed.json` beside its files with each file's size and
 * sha256. Start-up trusts the marker and only compares sizes, instead of re-hashing ~150 MB. The
 * marker is written last, so a download cut short never looks installed; a registry update that
 * pins a different revision or checksum makes the old marker stale, and the model re-downloads.
 */
export const INSTALL_MARKER = 'photoseek-installed.json';

const InstallMarkerSchema = z.object({
  id: z.string(),
  revision: z.string().nullable(),
  files: z.array(
    z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() }),
  ),
});

export type InstalledFileRecord = z.infer<typeof InstallMarkerSchema>['files'][number];

export function writeInstallMarker(
  dir: string,
  spec: ModelSpec,
  files: InstalledFileRecord[],
): void {
  const marker = { id: spec.id, revision: spec.revision ?? null, files };
  writeJsonAtomic(path.join(dir, INSTALL_MARKER), marker);
}

/** True when the marker matches `spec` and every file is still there with its recorded size. */
export function hasValidInstallMarker(dir: string, spec: ModelSpec): boolean {
  let marker;
  try {
    marker = InstallMarkerSchema.parse(
      JSON.parse(readFileSync(path.join(dir, INSTALL_MARKER), 'utf8')),
    );
  } catch {
    return false;
  }
  if (marker.id !== spec.id || marker.revision !== (spec.revision ?? null)) return false;
  return listModelFiles(spec).every((file) => {
    const record = marker.files.find((entry) => entry.path === file.path);
    if (!record) return false;
    if (file.sha256 !== undefined && record.sha256 !== file.sha256) return false;
    if (file.bytes !== undefined && record.bytes !== file.bytes) return false;
    return sizeOf(resolveModelFile(dir, file)) === record.bytes;
  });
}

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}
