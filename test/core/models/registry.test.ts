import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../fixtures/shared-data';
import { listModelFiles } from '../../../src-main/core/models/model-files';
import {
  defaultRegistryModel,
  findRegistryModel,
  findResourcesDir,
  loadRegistry,
} from '../../../src-main/core/models/registry';

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
      // Pooled at <|endoftext|> under a causal mask: the padding may be left out.
      pooling: 'causal-eot',
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
    // Read at the last position of 64: always run on the padded length.
    expect(siglip?.text).toMatchObject({
      contextLength: 64,
      padTokenId: 1,
      lowercase: true,
      pooling: 'padded',
    });
  });

  it('pins CLIP ViT-B/16, SigLIP and MobileCLIP-S0 at their revisions', () => {
    const pinned = (id: string) => {
      const spec = findRegistryModel(registry, id);
      if (!spec) throw new Error(`no ${id} in the registry`);
      return spec;
    };
    const b16 = pinned('clip-vit-b16-int8');
    expect(b16.revision).toBe('342fdf2f67aded64d138ff074745fb4a5d2bba5f');
    expect(b16.files.vision).toMatchObject({
      bytes: 87_461_602,
      sha256: expect.stringMatching(/^44eece4f/),
    });
    expect(b16.files.text).toMatchObject({
      bytes: 64_504_507,
      sha256: expect.stringMatching(/^9106b51e/),
    });
    expect(b16.image).toEqual(pinned('clip-vit-b32-int8').image);

    const siglip = pinned('siglip-b16-224-int8');
    expect(siglip.revision).toBe('4649052661e53c7000355844105f8a1792088239');
    expect(siglip.files.vision).toMatchObject({
      bytes: 99_499_129,
      sha256: expect.stringMatching(/^ef14a954/),
    });
    expect(siglip.files.text).toMatchObject({
      bytes: 111_475_220,
      sha256: expect.stringMatching(/^ad0329b1/),
    });
    expect(siglip.text?.attentionMaskName).toBeUndefined(); // the export has no mask input

    // MobileCLIP: the fp32 image tower (its int8 one is reported to ruin retrieval), int8 text,
    // 256 px, x/255 with no mean/std, the CLIP tokenizer; research-only weights.
    const mobileclip = pinned('mobileclip-s0');
    expect(mobileclip.files.vision).toMatchObject({
      path: 'onnx/vision_model.onnx',
      bytes: 45_543_630,
      sha256: expect.stringMatching(/^17d3c037/),
    });
    expect(mobileclip.files.text?.path).toBe('onnx/text_model_quantized.onnx');
    expect(mobileclip.image).toMatchObject({ size: 256, mean: [0, 0, 0], std: [1, 1, 1] });
    // Its text encoder's masking could not be checked here: padded, as a model that does not say.
    expect(mobileclip.text).toMatchObject({
      contextLength: 77,
      padTokenId: 49407,
      pooling: 'padded',
    });
    expect(mobileclip.licence?.commercialUse).toBe(false);
  });

  it('gives every entry a licence, pinned towers and URLs at its revision', () => {
    for (const spec of registry.models) {
      expect(spec.licence?.name, spec.id).toBeTruthy();
      for (const tower of [spec.files.vision, spec.files.text]) {
        expect(tower?.bytes, `${spec.id} ${tower?.path}`).toBeGreaterThan(0);
        expect(tower?.sha256, `${spec.id} ${tower?.path}`).toMatch(/^[0-9a-f]{64}$/);
      }
      for (const file of listModelFiles(spec)) {
        expect(file.url, `${spec.id} ${file.path}`).toContain(`/resolve/${spec.revision}/`);
        expect(file.url?.endsWith(`/${file.path}`)).toBe(true);
      }
    }
  });

  it.skipIf(!hasShared('MODEL-PINS.md'))(
    'pins only sizes and hashes that ../shared/MODEL-PINS.md lists',
    async () => {
      const pins = await readFile(sharedPath('MODEL-PINS.md'), 'utf8');
      // ViT-B/32's towers were pinned before MODEL-PINS.md (it says they are "the same as in
      // weights.md"); every other hash and size must be one it lists.
      for (const spec of registry.models.filter((model) => model.id !== 'clip-vit-b32-int8')) {
        for (const file of listModelFiles(spec)) {
          if (file.sha256 === undefined) continue;
          expect(pins, `${spec.id} ${file.path} sha256`).toContain(file.sha256);
          if (file.bytes !== undefined) {
            expect(pins, `${spec.id} ${file.path} bytes`).toContain(
              file.bytes.toLocaleString('en-US'),
            );
          }
        }
      }
    },
  );

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
