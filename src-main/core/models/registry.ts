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
 * What the shipped entries can and cannot promise (nothing here could reach Hugging Face, so no
 * file was downloaded or hashed by us; sizes and sha256 are read from ../shared/MODEL-PINS.md,
 * which collected them from Git LFS pointers and other projects' pin manifests):
 * - clip-vit-b32-int8 (the default): both ONNX towers carry the pinned size and sha256. The
 *   tokenizer files carry neither: ../shared/models/clip-vit-b32-tokenizer holds
 *   openai/clip-vit-base-patch32's files re-saved by transformers 4.51 (pretty-printed, 3.9 MB),
 *   not Xenova's (2.2 MB), so their hashes would be wrong. They come from the pinned revision's
 *   immutable URL instead; see [Note: Download policy].
 * - clip-vit-b16-int8, siglip-b16-224-int8, mobileclip-s0: towers and tokenizer.json pin size and
 *   sha256 seen in two or more independent sources. Single-source values are NOT pinned: every
 *   tokenizer_config.json hash (B/16 60ba2912…, SigLIP 9a38d3c6…, MobileCLIP a7d9d24f…) has one
 *   source each, so those files come by the revision's URL, size and hash recorded at install.
 * - siglip-b16-224-int8: squash to 224 (bicubic), mean/std 0.5, SentencePiece tokenizer lower-
 *   cased and padded to 64 with id 1, no attention-mask input; outputs `pooler_output` (as
 *   transformers.js' SiglipTextModel/SiglipVisionModel name them).
 * - mobileclip-s0: the fp32 image tower with the int8 text tower (its int8 image tower is reported
 *   to ruin retrieval); 256 px, x/255 without mean/std, CLIP's tokenizer; research-only weights,
 *   which its licence entry says and the app shows before a download. Its shortest-edge resize
 *   and bilinear filter follow Apple's reference transform; the export's preprocessor_config.json
 *   could not be read here.
 * Output names of the Xenova CLIP-family exports (`image_embeds`, `text_embeds`) are checked when
 * a session opens (the embedder's graph check); they could not be run here.
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
