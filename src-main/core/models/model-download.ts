import { stat } from 'node:fs/promises';
import { PhotoseekError } from '../../shared/errors';
import type { DownloadProgress } from '../../shared/types';
import { downloadFile } from './download';
import { sha256File } from '../files/file-hash';
import { writeInstallMarker } from './install-marker';
import type { InstalledFileRecord } from './install-marker';
import { listModelFiles, resolveModelFile } from './model-files';
import type { ModelFile, ModelSpec } from './model-spec';

export interface ModelDownloadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Replaces the https://huggingface.co origin of registry URLs (tests, mirrors). */
  baseUrl?: string;
}

const HUGGING_FACE_ORIGIN = 'https://huggingface.co';

type DownloadableFile = ModelFile & { url: string };
type FileRecord = Omit<InstalledFileRecord, 'path'>;

/**
 * [Note: Download policy] Photoseek never installs model weights it cannot verify. A registry
 * model is downloadable only when
 * - its vision and text towers (the files that decide what the app computes) pin size and sha256;
 * - every other file either pins a sha256 or comes from a URL naming the model's pinned revision,
 *   i.e. an immutable commit (tokenizer files whose hashes could not be taken yet, see
 *   [Note: Registry file]). Their actual size and sha256 still go into the install marker.
 * Anything else is listed but refused with a message saying how to add the files as a local model
 * folder instead, where the user vouches for them (every shipped entry passes: tested).
 *
 * Returns the files to fetch, or throws MODEL_INVALID listing every reason the model is refused.
 */
export function downloadableFiles(spec: ModelSpec): DownloadableFile[] {
  const problems: string[] = [];
  const files: DownloadableFile[] = [];
  for (const file of listModelFiles(spec)) {
    const { url } = file;
    const isTower = file === spec.files.vision || file === spec.files.text;
    if (url === undefined) problems.push(`${file.path} has no download URL`);
    else if (isTower && (file.sha256 === undefined || file.bytes === undefined)) {
      problems.push(`${file.path} has no pinned size and sha256`);
    } else if (file.sha256 === undefined && !isFromPinnedRevision(spec, url)) {
      problems.push(`${file.path} has neither a pinned sha256 nor a URL at a pinned revision`);
    } else files.push({ ...file, url });
  }
  if (problems.length === 0) return files;
  throw new PhotoseekError(
    'MODEL_INVALID',
    `Model "${spec.id}" cannot be downloaded safely: ${problems.join('; ')}. ` +
      'Photoseek does not install unverified model files. Download them yourself and add the ' +
      'folder with `photoseek models add <dir>`, or pin their checksums in resources/models.json.',
  );
}

/**
 * Downloads every file of a registry model into `dir` (resuming `.part` files, skipping files
 * already complete and verified), then writes the install marker (see [Note: Install marker]).
 */
export async function downloadRegistryModel(
  spec: ModelSpec,
  dir: string,
  options: ModelDownloadOptions = {},
): Promise<void> {
  const records: InstalledFileRecord[] = [];
  for (const file of downloadableFiles(spec)) {
    const dest = resolveModelFile(dir, file);
    const record =
      (await verifiedExistingFile(dest, file, options)) ??
      (await downloadModelFile(dest, file, options));
    records.push({ path: file.path, ...record });
  }
  writeInstallMarker(dir, spec, records);
}

async function downloadModelFile(
  dest: string,
  file: DownloadableFile,
  { signal, onProgress, baseUrl }: ModelDownloadOptions,
): Promise<FileRecord> {
  return downloadFile({
    url: rebase(file.url, baseUrl),
    dest,
    ...(file.bytes !== undefined && { bytes: file.bytes }),
    ...(file.sha256 !== undefined && { sha256: file.sha256 }),
    ...(signal && { signal }),
    ...(onProgress && {
      onProgress: (receivedBytes: number, totalBytes: number) =>
        onProgress({ file: file.path, receivedBytes, totalBytes }),
    }),
  });
}

/**
 * A file finished by an earlier, interrupted call is reused when it matches its pinned sha256.
 * A file without one (a few MB of tokenizer) is fetched again: it may come from an older revision.
 */
async function verifiedExistingFile(
  dest: string,
  file: ModelFile,
  { signal, onProgress }: ModelDownloadOptions,
): Promise<FileRecord | undefined> {
  if (file.sha256 === undefined) return undefined;
  const info = await stat(dest).catch(() => undefined);
  if (!info?.isFile() || (file.bytes !== undefined && info.size !== file.bytes)) return undefined;
  const sha256 = await sha256File(dest, signal).catch((error: unknown) => {
    throw signal?.aborted ? cancelled(file, error) : error;
  });
  if (sha256 !== file.sha256) return undefined;
  onProgress?.({ file: file.path, receivedBytes: info.size, totalBytes: info.size });
  return { bytes: info.size, sha256 };
}

function cancelled(file: ModelFile, cause: unknown): PhotoseekError {
  return new PhotoseekError('CANCELLED', `Checking ${file.path} was cancelled.`, { cause });
}

function isFromPinnedRevision(spec: ModelSpec, url: string): boolean {
  return spec.revision !== undefined && new URL(url).pathname.split('/').includes(spec.revision);
}

function rebase(url: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined || !url.startsWith(`${HUGGING_FACE_ORIGIN}/`)) return url;
  return baseUrl.replace(/\/$/, '') + url.slice(HUGGING_FACE_ORIGIN.length);
}
