/**
 * The ViT-B/32-shaped random-weight towers (DESIGN.md "Testing without real weights") as a local
 * model folder the core can load like any other.
 *
 * [Note: Bench models] `.cache/bench-models/{image,text}_{fp32,int8}.onnx` are built once by
 * ../shared/tools/bench-models/build.sh (random weights: compute cost does not depend on weight
 * values, so timings carry over to the real CLIP towers; their similarities are noise). A model
 * folder for the core is written into a temporary directory at bench time: photoseek-model.json
 * with CLIP's inputs, symbolic links to the ONNX files (hundreds of MB, never copied) and the real
 * CLIP tokenizer read from ../shared. Nothing is written into the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InstalledModel } from '../../src-main/core/models/installed-model';
import { ModelSpecSchema } from '../../src-main/core/models/model-spec';
import { CLIP_IMAGE_INPUT } from '../../test/fixtures/clip-image-input';
import { dynamicTextTower } from './dynamic-text-tower';

export type Precision = 'int8' | 'fp32';
/**
 * The text tower's sequence axis: "fixed" is the built tower (77 tokens), "dynamic" its copy with a
 * symbolic axis ([Note: Bench text tower with a dynamic sequence axis]), which the core runs on
 * the real token count.
 */
export type TextAxis = 'fixed' | 'dynamic';

export function parseTextAxis(text: string): TextAxis {
  if (text !== 'fixed' && text !== 'dynamic') {
    throw new Error(`--text-axis takes fixed or dynamic, not "${text}"`);
  }
  return text;
}

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedRoot = path.resolve(projectRoot, '../shared');
const modelsCache = path.join(projectRoot, '.cache', 'bench-models');
const buildScript = path.join(sharedRoot, 'tools', 'bench-models', 'build.sh');
const tokenizerDir = path.join(sharedRoot, 'models', 'clip-vit-b32-tokenizer');
const TOWERS = ['image_fp32', 'image_int8', 'text_fp32', 'text_int8'];

function benchModelId(precision: Precision): string {
  return `bench-vitb32-${precision}`;
}

/** The folder with the four ONNX towers, built by the shared script when any is missing. */
export function ensureBenchModels(log: (line: string) => void = console.log): string {
  const missing = TOWERS.filter((tower) => !existsSync(path.join(modelsCache, `${tower}.onnx`)));
  if (missing.length === 0) return modelsCache;
  const banner = '!'.repeat(78);
  log(`\n${banner}\nBENCH MODELS MISSING in ${modelsCache} (${missing.join(', ')}).`);
  log(`Building them now with ${buildScript} (installs python3-torch from Debian if needed;`);
  log(`a few minutes once).\n${banner}\n`);
  if (!existsSync(buildScript))
    throw new Error(`cannot build the bench models: ${buildScript} is missing`);
  execFileSync('bash', [buildScript, modelsCache], { stdio: 'inherit' });
  return modelsCache;
}

/** Writes a local model folder for one precision into `dir` (see [Note: Bench models]). */
export async function writeBenchModelFolder(
  dir: string,
  precision: Precision,
  textAxis: TextAxis = 'fixed',
): Promise<InstalledModel> {
  const towers = ensureBenchModels();
  if (!existsSync(tokenizerDir))
    throw new Error(`the bench model needs the CLIP tokenizer in ${tokenizerDir}`);
  await mkdir(dir, { recursive: true });
  for (const tower of ['image', 'text']) {
    const file = `${tower}_${precision}.onnx`;
    const built = path.join(towers, file);
    const source =
      tower === 'text' && textAxis === 'dynamic' ? await dynamicTextTower(built) : built;
    if (!existsSync(path.join(dir, file))) await symlink(source, path.join(dir, file));
  }
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    await writeFile(path.join(dir, file), await readFile(path.join(tokenizerDir, file)));
  }
  const spec = ModelSpecSchema.parse({
    id: benchModelId(precision),
    name: `ViT-B/32-shaped random weights, ${precision} (benchmarks only)`,
    family: 'clip',
    embeddingDim: 512,
    files: {
      vision: { path: `image_${precision}.onnx` },
      text: { path: `text_${precision}.onnx` },
      tokenizer: { path: 'tokenizer.json' },
      tokenizerConfig: { path: 'tokenizer_config.json' },
    },
    image: CLIP_IMAGE_INPUT,
    // Pooled at <|endoftext|> (argmax of the ids) under a causal mask, like CLIP.
    text: { contextLength: 77, padTokenId: 49407, pooling: 'causal-eot' },
  });
  await writeFile(path.join(dir, 'photoseek-model.json'), `${JSON.stringify(spec, null, 2)}\n`);
  return { spec, dir };
}
