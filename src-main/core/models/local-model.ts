import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PhotoseekError } from '../../shared/errors';
import { sha256File } from '../files/file-hash';
import { listModelFiles, missingModelFiles, resolveModelFile } from './model-files';
import { ModelSpecSchema } from './model-spec';
import type { ModelSpec } from './model-spec';

/** The spec file a local model folder must contain; file paths in it are relative to the folder. */
export const LOCAL_MODEL_SPEC = 'photoseek-model.json';

/**
 * Reads and checks a local model folder: the spec validates, every file it names exists, and
 * files with a pinned size or sha256 match it. Returns the spec; the folder is used in place.
 */
export async function readLocalModelFolder(dir: string): Promise<ModelSpec> {
  const spec = await readSpec(dir);
  const missing = missingModelFiles(dir, spec);
  if (missing.length > 0) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The model folder ${dir} is missing ${missing.join(', ')} (named in ${LOCAL_MODEL_SPEC}).`,
    );
  }
  await assertPinnedFilesMatch(dir, spec);
  return spec;
}

async function readSpec(dir: string): Promise<ModelSpec> {
  const specFile = path.join(dir, LOCAL_MODEL_SPEC);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(specFile, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `there is no ${LOCAL_MODEL_SPEC} in it; a local model folder describes its files and inputs there`
        : `${LOCAL_MODEL_SPEC} is not readable JSON (${error instanceof Error ? error.message : String(error)})`;
    throw new PhotoseekError('MODEL_INVALID', `Cannot use ${dir} as a model folder: ${reason}.`, {
      cause: error,
    });
  }
  const parsed = ModelSpecSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `${specFile} is not a valid model description:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

async function assertPinnedFilesMatch(dir: string, spec: ModelSpec): Promise<void> {
  for (const file of listModelFiles(spec)) {
    const location = resolveModelFile(dir, file);
    const size = (await stat(location)).size;
    if (file.bytes !== undefined && size !== file.bytes) {
      throw mismatch(location, `expected ${file.bytes} bytes, found ${size}`);
    }
    if (file.sha256 === undefined) continue;
    const sha256 = await sha256File(location);
    if (sha256 !== file.sha256)
      throw mismatch(location, `expected sha256 ${file.sha256}, got ${sha256}`);
  }
}

function mismatch(file: string, problem: string): PhotoseekError {
  return new PhotoseekError(
    'CHECKSUM_MISMATCH',
    `${file} does not match ${LOCAL_MODEL_SPEC}: ${problem}.`,
  );
}
