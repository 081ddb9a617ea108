import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PhotoseekError } from '../../shared/errors';
import { RegistrySchema } from './model-spec';
import type { ModelSpec, Registry } from './model-spec';

/**
 * [Note: Registry file] `resources/models.json` is data validated by `RegistrySchema` (see
 * [Note: Model registry]). The FIRST entry is the default model: the schema has no `default`
 * field and unknown keys would be stripped silently, so order is the one place to say it.
 *
 * What the shipped entries can and cannot promise (nothing here could reach Hugging Face):
 * - clip-vit-b32-int8: both ONNX towers carry the pinned size and sha256. The tokenizer files
 *   carry neither: ../shared/models/clip-vit-b32-tokenizer holds openai/clip-vit-base-patch32's
 *   files re-saved by transformers 4.51 (pretty-printed tokenizer.json, 3.9 MB), not Xenova's
 *   (2.2 MB), so their hashes would be wrong. They come from the pinned revision's immutable URL
 *   instead; see [Note: Download policy].
 * - siglip-b16-224-int8: revision taken from a stored Hugging Face tree page (not verified here),
 *   no size or sha256 for any file, so the store refuses to download it until someone pins them.
 *   Its output names (`pooler_output`) follow transformers.js' SiglipTextModel/SiglipVisionModel.
 */
export const REGISTRY_FILE = 'models.json';

export function loadRegistry(resourcesDir: string = findResourcesDir()): Registry {
  const file = path.join(resourcesDir, REGISTRY_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PhotoseekError('MODEL_INVALID', `Cannot read the model registry ${file}: ${reason}`, {
      cause: error,
    });
  }
  const parsed = RegistrySchema.safeParse(raw);
  if (!parsed.success) {
    throw new PhotoseekError(
      'MODEL_INVALID',
      `The model registry ${file} is invalid:\n${z.prettifyError(parsed.error)}`,
    );
  }
  assertUniqueIds(parsed.data, file);
  return parsed.data;
}

export function findRegistryModel(registry: Registry, id: string): ModelSpec | undefined {
  return registry.models.find((model) => model.id === id);
}

/** See [Note: Registry file]: the first entry is the default. */
export function defaultRegistryModel(registry: Registry): ModelSpec {
  const [first] = registry.models;
  if (!first) throw new PhotoseekError('MODEL_INVALID', 'The model registry lists no models.');
  return first;
}

/**
 * [Note: Resources folder] Run from source (tsx, vitest) this module sits three levels under the
 * project root; bundled it sits wherever the bundler put it (out/main, out/core-host, …). So walk
 * up from here to the first folder holding `resources/models.json`. A packaged app keeps its
 * resources elsewhere (Electron's resourcesPath): its host passes `resourcesDir` explicitly.
 */
export function findResourcesDir(startDir = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (existsSync(path.join(candidate, REGISTRY_FILE))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new PhotoseekError(
    'MODEL_INVALID',
    `Cannot find resources/${REGISTRY_FILE} in any folder above ${startDir}; pass resourcesDir.`,
  );
}

function assertUniqueIds(registry: Registry, file: string): void {
  const seen = new Set<string>();
  for (const { id } of registry.models) {
    if (seen.has(id)) {
      throw new PhotoseekError('MODEL_INVALID', `The model registry ${file} lists "${id}" twice.`);
    }
    seen.add(id);
  }
}
