import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Embedder } from '../../../src-main/core/inference/embedder';
import { createEmbedder } from '../../../src-main/core/inference/embedder';
import {
  createSessionWithFallback,
  defaultProviderOrder,
  resolveProviderOrder,
} from '../../../src-main/core/inference/execution-providers';
import type { InstalledModel } from '../../../src-main/core/models/installed-model';
import { modelFilePath } from '../../../src-main/core/models/installed-model';
import { toPixelTensor } from '../../../src-main/core/inference/preprocess';
import { hasShared } from '../../fixtures/shared-data';
import type { Rgb01 } from '../../fixtures/synthetic-model';
import {
  buildSyntheticModel,
  COLOUR_WORDS,
  cosine,
  expectedColourEmbedding,
  SYNTHETIC_TOKENIZER_PARTS,
} from '../../fixtures/synthetic-model';

type Rgb = [number, number, number];

const SIZE = 224;

function solidImage(rgb: Rgb): Uint8Array {
  const bytes = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rgb[i % 3]!;
  return bytes;
}

function norm(vector: Float32Array): number {
  return Math.hypot(...vector);
}

/** The colour word whose expected embedding is closest to `embedding`. */
function nearestColourWord(embedding: Float32Array): string {
  const scored = Object.entries(COLOUR_WORDS).map(([word, rgb]) => ({
    word,
    score: cosine(embedding, expectedColourEmbedding(rgb)),
  }));
  return scored.reduce((best, next) => (next.score > best.score ? next : best)).word;
}

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('createEmbedder', () => {
  let dir: string;
  let model: InstalledModel;
  let embedder: Embedder;
  const pixels = (rgb: Rgb) => toPixelTensor(solidImage(rgb), model.spec.image);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-embedder-'));
    model = await buildSyntheticModel(path.join(dir, 'model'));
    embedder = createEmbedder(model, { providers: ['cpu'] });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  afterAll(async () => {
    await embedder?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('describes its model', () => {
    expect(embedder.modelId).toBe('synthetic-colour');
    expect(embedder.dim).toBe(16);
  });

  it('embeds N images to N unit vectors in the direction of their colours', async () => {
    const colours: [Rgb, Rgb01][] = [
      [
        [255, 0, 0],
        [1, 0, 0],
      ],
      [
        [0, 0, 255],
        [0, 0, 1],
      ],
      [
        [255, 255, 0],
        [1, 1, 0],
      ],
    ];

    const embeddings = await embedder.embedImages(colours.map(([rgb]) => pixels(rgb)));

    expect(embeddings).toHaveLength(3);
    embeddings.forEach((embedding, i) => {
      expect(embedding).toHaveLength(16);
      expect(norm(embedding)).toBeCloseTo(1, 5);
      expect(cosine(embedding, expectedColourEmbedding(colours[i]![1]))).toBeGreaterThan(0.9999);
    });
  });

  it('gives the same vectors for a batch as for one image at a time', async () => {
    const tensors = [pixels([200, 30, 30]), pixels([10, 120, 240]), pixels([90, 90, 20])];

    const batch = await embedder.embedImages(tensors);
    const oneByOne = await Promise.all(
      tensors.map(async (t) => (await embedder.embedImages([t]))[0]!),
    );

    batch.forEach((vector, i) =>
      vector.forEach((value, d) => expect(value).toBeCloseTo(oneByOne[i]![d]!, 6)),
    );
  });

  it('puts a BGR-swapped red image next to blue (channel-order bugs show)', async () => {
    const redAsBgr = solidImage([0, 0, 255]); // the bytes of red, read as B,G,R

    const [correct, swapped] = await embedder.embedImages([
      pixels([255, 0, 0]),
      toPixelTensor(redAsBgr, model.spec.image),
    ]);

    expect(nearestColourWord(correct!)).toBe('red');
    expect(nearestColourWord(swapped!)).toBe('blue');
  });

  it('embeds a tensor without CLIP normalisation differently (normalisation bugs show)', async () => {
    const red = solidImage([200, 40, 40]);
    const unnormalised = Float32Array.from({ length: red.length }, (_, i) => {
      const plane = SIZE * SIZE;
      const channel = Math.floor(i / plane);
      return red[(i % plane) * 3 + channel]! / 255; // raw 0..1, CHW, no mean/std
    });

    const [correct, raw] = await embedder.embedImages([
      toPixelTensor(red, model.spec.image),
      unnormalised,
    ]);

    expect(
      cosine(correct!, expectedColourEmbedding([200 / 255, 40 / 255, 40 / 255])),
    ).toBeGreaterThan(0.9999);
    expect(cosine(raw!, correct!)).toBeLessThan(0.95);
  });

  it('embeds texts as unit vectors that rank photos by colour', async () => {
    const [red, blue] = await embedder.embedTexts(['a photo of something red', 'BLUE sky']);
    const [redImage] = await embedder.embedImages([pixels([255, 0, 0])]);

    expect(norm(red!)).toBeCloseTo(1, 5);
    expect(cosine(red!, redImage!)).toBeGreaterThan(0.999);
    expect(cosine(blue!, redImage!)).toBeLessThan(cosine(red!, redImage!) - 0.5);
  });

  it('returns zeros, not NaN, for a text whose embedding is the zero vector', async () => {
    const [grey] = await embedder.embedTexts(['grey']);

    expect(Array.from(grey!)).toEqual(Array<number>(16).fill(0));
  });

  it('rejects an empty query with BAD_ARGUMENT', async () => {
    await expect(embedder.embedTexts(['red', '  '])).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });

  it('reports the cpu provider once a session exists, null before', async () => {
    const fresh = createEmbedder(model, { providers: ['cpu'] });
    expect(fresh.provider()).toBeNull();

    await fresh.embedTexts(['red']);

    expect(fresh.provider()).toBe('cpu');
    await fresh.dispose();
  });

  it('creates one session per tower even when the first calls are concurrent', async () => {
    const create = vi.spyOn(InferenceSession, 'create');
    // Both towers in this thread, where the spy sees their sessions being created.
    const fresh = createEmbedder(model, { providers: ['cpu'], imageThread: 'this' });

    await Promise.all([
      fresh.embedImages([pixels([255, 0, 0])]),
      fresh.embedImages([pixels([0, 255, 0])]),
      fresh.embedTexts(['red']),
      fresh.embedTexts(['green']),
    ]);
    await fresh.embedImages([pixels([0, 0, 255])]);

    const paths = create.mock.calls.map(([modelPath]) => modelPath);
    expect(paths.sort()).toEqual(
      [
        modelFilePath(model, model.spec.files.text!),
        modelFilePath(model, model.spec.files.vision),
      ].sort(),
    );
    await fresh.dispose();
  });

  it('rejects a model whose output size differs from its spec with MODEL_INVALID', async () => {
    const wrongDim = createEmbedder(
      { ...model, spec: { ...model.spec, embeddingDim: 32 } },
      { providers: ['cpu'] },
    );

    await expect(wrongDim.embedImages([pixels([255, 0, 0])])).rejects.toMatchObject({
      code: 'MODEL_INVALID',
    });
    await expect(wrongDim.embedTexts(['red'])).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await wrongDim.dispose();
  });

  it('reports missing model files as MODEL_MISSING with the path', async () => {
    const gone = createEmbedder(
      { ...model, dir: path.join(dir, 'not-there') },
      { providers: ['cpu'] },
    );

    await expect(gone.embedImages([pixels([255, 0, 0])])).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining(path.join(dir, 'not-there', 'vision.onnx')),
    });
    await expect(gone.embedTexts(['red'])).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining(path.join(dir, 'not-there')),
    });
    await gone.dispose();
  });

  it('retries a failed session creation once the model files appear', async () => {
    const later = path.join(dir, 'installed-later');
    const pending = createEmbedder({ ...model, dir: later }, { providers: ['cpu'] });
    await expect(pending.embedImages([pixels([255, 0, 0])])).rejects.toMatchObject({
      code: 'MODEL_MISSING',
    });

    await buildSyntheticModel(later);
    const [red] = await pending.embedImages([pixels([255, 0, 0])]);

    expect(cosine(red!, expectedColourEmbedding([1, 0, 0]))).toBeGreaterThan(0.9999);
    await pending.dispose();
  });

  it('stops before running when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(
      embedder.embedImages([pixels([255, 0, 0])], controller.signal),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  describe('with an attention-mask input', () => {
    let masked: InstalledModel;

    beforeAll(async () => {
      masked = await buildSyntheticModel(path.join(dir, 'masked'), { textAttentionMask: true });
    });

    it('feeds the mask the graph declares', async () => {
      const maskedEmbedder = createEmbedder(masked, { providers: ['cpu'] });

      const [red] = await maskedEmbedder.embedTexts(['red']);

      expect(cosine(red!, expectedColourEmbedding([1, 0, 0]))).toBeGreaterThan(0.999);
      await maskedEmbedder.dispose();
    });

    it('rejects a graph input the spec does not name with MODEL_INVALID', async () => {
      const { attentionMaskName: _unnamed, ...textWithoutMask } = masked.spec.text!;
      const unnamed = createEmbedder(
        { ...masked, spec: { ...masked.spec, text: textWithoutMask } },
        { providers: ['cpu'] },
      );

      await expect(unnamed.embedTexts(['red'])).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        message: expect.stringContaining('attention_mask'),
      });
      await unnamed.dispose();
    });
  });

  describe('execution providers', () => {
    // On this machine (no GPU) WebGPU finds no adapter: its session creation throws "Failed to get
    // a WebGPU adapter" and the CPU session is created next. On a machine with a usable adapter
    // the first attempt succeeds and the embedder reports webgpu instead.
    it('falls back from webgpu to cpu without throwing', async () => {
      const create = vi.spyOn(InferenceSession, 'create');
      const forced = createEmbedder(model, { providers: ['webgpu', 'cpu'], imageThread: 'this' });

      const [red] = await forced.embedImages([pixels([255, 0, 0])]);

      expect(cosine(red!, expectedColourEmbedding([1, 0, 0]))).toBeGreaterThan(0.9999);
      const tried = create.mock.calls.map(([, options]) => options?.executionProviders);
      if (forced.provider() === 'cpu') {
        // Without a Vulkan loader webgpu is skipped before any attempt; with one it is tried first.
        expect([[['cpu']], [['webgpu'], ['cpu']]]).toContainEqual(tried);
      } else {
        expect(forced.provider()).toBe('webgpu');
        expect(tried).toEqual([['webgpu']]);
      }
      await forced.dispose();
    });

    it('records why each skipped provider was not used', async () => {
      const visionPath = modelFilePath(model, model.spec.files.vision);
      vi.spyOn(InferenceSession, 'create').mockRejectedValueOnce(new Error('device lost'));
      const fakeLoaderDir = mkdtempSync(path.join(os.tmpdir(), 'photoseek-vulkan-'));
      writeFileSync(path.join(fakeLoaderDir, 'libvulkan.so.1'), '');
      vi.stubEnv('LD_LIBRARY_PATH', fakeLoaderDir);

      const created = await createSessionWithFallback(visionPath, ['webgpu', 'cpu']);

      expect(created.provider).toBe('cpu');
      expect(created.skipped).toEqual([{ provider: 'webgpu', reason: 'device lost' }]);
      await created.session.release();
      vi.unstubAllEnvs();
      rmSync(fakeLoaderDir, { recursive: true });
    });

    const systemHasVulkan = [
      '/usr/lib/x86_64-linux-gnu',
      '/usr/lib/aarch64-linux-gnu',
      '/usr/lib64',
      '/usr/lib',
      '/lib64',
    ].some((dir) => existsSync(path.join(dir, 'libvulkan.so.1')));
    it.runIf(process.platform === 'linux' && !systemHasVulkan)(
      'skips webgpu without trying it when no Vulkan loader is installed',
      async () => {
        const create = vi.spyOn(InferenceSession, 'create');
        const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'photoseek-novulkan-'));
        vi.stubEnv('LD_LIBRARY_PATH', emptyDir);
        const visionPath = modelFilePath(model, model.spec.files.vision);

        const created = await createSessionWithFallback(visionPath, ['webgpu', 'cpu']);

        expect(created.skipped).toEqual([
          { provider: 'webgpu', reason: expect.stringMatching(/Vulkan/) },
        ]);
        expect(create.mock.calls.map(([, options]) => options?.executionProviders)).toEqual([
          ['cpu'],
        ]);
        await created.session.release();
        vi.unstubAllEnvs();
        rmSync(emptyDir, { recursive: true });
      },
    );

    it.runIf(process.platform === 'linux')(
      'skips providers this onnxruntime-node build lacks without creating a session for them',
      async () => {
        const create = vi.spyOn(InferenceSession, 'create');
        const visionPath = modelFilePath(model, model.spec.files.vision);

        const created = await createSessionWithFallback(visionPath, ['dml', 'coreml', 'cpu']);

        expect(created.provider).toBe('cpu');
        expect(created.skipped.map((s) => s.provider)).toEqual(['dml', 'coreml']);
        expect(create).toHaveBeenCalledTimes(1);
        await created.session.release();
      },
    );

    it('fails with MODEL_INVALID naming every provider when none can load the model', async () => {
      const visionPath = modelFilePath(model, model.spec.files.vision);
      vi.spyOn(InferenceSession, 'create').mockRejectedValue(new Error('protobuf parsing failed'));

      await expect(createSessionWithFallback(visionPath, ['webgpu', 'cpu'])).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        message: expect.stringMatching(/webgpu: .*cpu: protobuf parsing failed/),
      });
    });

    it('orders providers per platform with cpu last', () => {
      expect(defaultProviderOrder('linux')).toEqual(['cuda', 'webgpu', 'cpu']);
      expect(defaultProviderOrder('win32')).toEqual(['dml', 'webgpu', 'cpu']);
      expect(defaultProviderOrder('darwin')).toEqual(['coreml', 'webgpu', 'cpu']);
      expect(defaultProviderOrder('freebsd')).toEqual(['cpu']);
    });

    it('takes the option first, then PHOTOSEEK_PROVIDERS, then the default', () => {
      const env = { PHOTOSEEK_PROVIDERS: ' WebGPU , cpu ' };

      expect(resolveProviderOrder(['cpu'], env)).toEqual(['cpu']);
      expect(resolveProviderOrder(undefined, env)).toEqual(['webgpu', 'cpu']);
      expect(resolveProviderOrder(undefined, {})).toEqual(defaultProviderOrder());
      expect(() => resolveProviderOrder(['gpu'], {})).toThrow(
        expect.objectContaining({ code: 'BAD_ARGUMENT' }),
      );
    });

    it('uses PHOTOSEEK_PROVIDERS=cpu when no option is given', async () => {
      vi.stubEnv('PHOTOSEEK_PROVIDERS', 'cpu');
      const create = vi.spyOn(InferenceSession, 'create');
      const fromEnv = createEmbedder(model);

      await fromEnv.embedTexts(['red']);

      expect(fromEnv.provider()).toBe('cpu');
      expect(create.mock.calls.map(([, options]) => options?.executionProviders)).toEqual([
        ['cpu'],
      ]);
      await fromEnv.dispose();
    });
  });
});
