import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { ModelFile, ModelSpec } from './model-spec';

/** Every file a model needs, in download order (the big towers first). */
export function listModelFiles(spec: ModelSpec): ModelFile[] {
  const { vision, text, tokenizer, tokenizerConfig } = spec.files;
  return [vision, text, tokenizer, tokenizerConfig].filter((file) => file !== undefined);
}

/**
 * Absolute path of a model file inside `dir`. A spec comes from a file a user or a registry
 * wrote, so a path that climbs out of the model folder ("../../.bashrc") is refused.
 */
export function resolveModelFile(dir: string, file: ModelFile): string {
  const resolved = path.resolve(dir, file.path);
  const relative = path.relative(dir, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The model file path "${file.path}" points outside the model folder ${dir}.`,
    );
  }
  return resolved;
}

/** Paths (as written in the spec) that are missing from `dir` or are not regular files. */
export function missingModelFiles(dir: string, spec: ModelSpec): string[] {
  return listModelFiles(spec)
    .filter((file) => {
      const location = resolveModelFile(dir, file);
      return !existsSync(location) || !statSync(location).isFile();
    })
    .map((file) => file.path);
}
