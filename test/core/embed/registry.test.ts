import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultRegistryModel,
  findRegistryModel,
  findResourcesDir,
  loadRegistry,
} from '../../../src-main/core/embed/registry';

const CLIP_REVISION = 'd15189d7028b43f1d3e65039190477f6af591c2a';
const CLIP_BASE = `https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/${CLIP_REVISION}`;
const projectRoot = path.resolve(import.meta.dirname, '../../..');

describe('shipped registry (resources/models.json)', () => {
  const registry = loadRegistry();

  it('is found from the source tree without being told where', () => {
    expect(findResourcesDir()).toBe(path.join(projectRoot, 'resources'));
  });

  it('has CLIP ViT-B/32 int8 first, as the default, with the pinned files', () => {
    const clip = defaultRegistryModel(registry);
    expect(clip.id).toBe('clip-vit-b32-int8');
    expect(clip.revision).toBe(CLIP_REVISION);
    expect(clip.files.vision).toEqual({
      path: 'onnx/vision_model_quantized.onnx',
      url: `${CLIP_BASE}/onnx/vision_model_quantized.onnx`,
      bytes: 89_117_001,
      sha256: '583fd1110a514667812fee7d684952aaf82a99b959760c8d7dca7e0ab9839299',
    });
    expect(clip.files.text).toEqual({
      path: 'onnx/text_model_quantized.onnx',
      url: `${CLIP_BASE}/onnx/text_model_quantized.onnx`,
      bytes: 64_504_507,
      sha256: '73baab855d406190da9faa498cfedf65f15cf309f4cc7385b7b032e6d08e5c3a',
    });
    expect(clip.files.tokenizer?.url).toBe(`${CLIP_BASE}/tokenizer.json`);
    expect(clip.files.tokenizerConfig?.url).toBe(`${CLIP_BASE}/tokenizer_config.json`);
  });

  it('describes CLIP preprocessing and tensor names', () => {
    const clip = findRegistryModel(registry, 'clip-vit-b32-int8');
    expect(clip?.embeddingDim).toBe(512);
    expect(clip?.image).toEqual({
      size: 224,
      resize: 'shortest-edge-crop',
      resample: 'bicubic',
      mean: [0.48145466, 0.4578275, 0.40821073],
      std: [0.26862954, 0.26130258, 0.27577711],
      rescale: 0.00392156862745098,
      inputName: 'pixel_values',
      outputName: 'image_embeds',
    });
    expect(clip?.text).toEqual({
      contextLength: 77,
      padTokenId: 49407,
      lowercase: false,
      inputName: 'input_ids',
      outputName: 'text_embeds',
    });
  });

  it('carries the SigLIP convention as data', () => {
    const siglip = findRegistryModel(registry, 'siglip-b16-224-int8');
    expect(siglip?.family).toBe('siglip');
    expect(siglip?.image).toMatchObject({
      resize: 'squash',
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
    });
    expect(siglip?.image.rescale).toBeCloseTo(1 / 255, 12);
    expect(siglip?.text).toMatchObject({ contextLength: 64, padTokenId: 1, lowercase: true });
  });

  it('returns undefined for an unknown id', () => {
    expect(findRegistryModel(registry, 'no-such-model')).toBeUndefined();
  });
});

describe('loadRegistry validation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'photoseek-registry-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeRegistry = (content: unknown) =>
    writeFileSync(path.join(dir, 'models.json'), JSON.stringify(content));
  const shipped = () => loadRegistry().models;

  it('lists every bad field in a MODEL_INVALID error', () => {
    const [clip] = shipped();
    writeRegistry({ models: [{ ...clip, family: 'dalle', image: { ...clip?.image, size: 0 } }] });
    expect(() => loadRegistry(dir)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(() => loadRegistry(dir)).toThrow(/models\[0\]\.family[\s\S]*models\[0\]\.image\.size/);
  });

  it('rejects duplicate ids', () => {
    const [clip] = shipped();
    writeRegistry({ models: [clip, clip] });
    expect(() => loadRegistry(dir)).toThrow(/"clip-vit-b32-int8" twice/);
  });

  it('reports a missing or unparsable file as MODEL_INVALID', () => {
    expect(() => loadRegistry(dir)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    writeFileSync(path.join(dir, 'models.json'), '{ not json');
    expect(() => loadRegistry(dir)).toThrow(/Cannot read the model registry/);
  });
});
