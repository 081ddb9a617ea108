import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstalledModel } from '../../../src-main/core/models/installed-model';
import { modelFilePath } from '../../../src-main/core/models/installed-model';
import { ModelSpecSchema, textTowerOf } from '../../../src-main/core/models/model-spec';
import { toPixelTensor } from '../../../src-main/core/inference/preprocess';
import type { TextTokenizer } from '../../../src-main/core/inference/tokenizer';
import { loadTokenizer } from '../../../src-main/core/inference/tokenizer';
import { hasShared } from '../../fixtures/shared-data';
import {
  buildSyntheticModel,
  cosine,
  expectedColourEmbedding,
  SYNTHETIC_DIM,
  SYNTHETIC_PROJECTION,
  SYNTHETIC_TOKENIZER_PARTS,
  writeColourPhoto,
} from '../../fixtures/synthetic-model';

function solidImage(size: number, rgb: readonly [number, number, number]): Uint8Array {
  const bytes = new Uint8Array(size * size * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rgb[i % 3]!;
  return bytes;
}

function unit(vector: ArrayLike<number>): number[] {
  const norm = Math.hypot(...Array.from(vector));
  return Array.from(vector, (x) => x / norm);
}

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('synthetic colour model', () => {
  let dir: string;
  let model: InstalledModel;
  let vision: InferenceSession;
  let text: InferenceSession;
  let tokenizer: TextTokenizer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-synthetic-'));
    model = await buildSyntheticModel(path.join(dir, 'model'));
    vision = await InferenceSession.create(modelFilePath(model, model.spec.files.vision));
    text = await InferenceSession.create(modelFilePath(model, model.spec.files.text!));
    tokenizer = await loadTokenizer(model, textTowerOf(model.spec)!);
  });

  afterAll(async () => {
    await Promise.all([vision?.release(), text?.release()]);
    await rm(dir, { recursive: true, force: true });
  });

  async function embedImage(rgb: readonly [number, number, number]): Promise<Float32Array> {
    const size = model.spec.image.size;
    const pixels = toPixelTensor(solidImage(size, rgb), model.spec.image);
    const results = await vision.run({
      pixel_values: new Tensor('float32', pixels, [1, 3, size, size]),
    });
    return results['image_embeds']!.data as Float32Array;
  }

  async function embedText(query: string): Promise<Float32Array> {
    const { inputIds } = tokenizer.encode(query);
    const results = await text.run({ input_ids: new Tensor('int64', inputIds, [1, 77]) });
    return results['text_embeds']!.data as Float32Array;
  }

  it('is a model folder with a valid photoseek-model.json and CLIP-shaped graphs', async () => {
    const written = JSON.parse(
      await readFile(path.join(model.dir, 'photoseek-model.json'), 'utf8'),
    );

    expect(ModelSpecSchema.parse(written)).toEqual(model.spec);
    expect(vision.inputNames).toEqual(['pixel_values']);
    expect(vision.outputNames).toEqual(['image_embeds']);
    expect(text.inputNames).toEqual(['input_ids']);
    expect(text.outputNames).toEqual(['text_embeds']);
  });

  it('has a projection of full column rank (no two colours collapse)', () => {
    const [r, g, b] = SYNTHETIC_PROJECTION.map((row) => Array.from(row));
    const dot = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * y[i]!, 0);
    const gram = [r!, g!, b!].map((x) => [r!, g!, b!].map((y) => dot(x, y)));
    const [[a, bb, c], [d, e, f], [gg, h, i]] = gram as [number[], number[], number[]];
    const determinant =
      a! * (e! * i! - f! * h!) - bb! * (d! * i! - f! * gg!) + c! * (d! * h! - e! * gg!);

    expect(determinant).toBeGreaterThan(1);
  });

  it('embeds a solid red 224×224 image to the expected unit vector', async () => {
    const embedding = await embedImage([255, 0, 0]);

    expect(embedding).toHaveLength(SYNTHETIC_DIM);
    const expected = expectedColourEmbedding([1, 0, 0]);
    unit(embedding).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 4));
  });

  it('embeds "red" in the direction of a red image and "blue" far from it', async () => {
    const redImage = await embedImage([255, 0, 0]);

    expect(cosine(await embedText('a photo of something red'), redImage)).toBeGreaterThan(0.999);
    expect(cosine(await embedText('red'), redImage)).toBeGreaterThan(0.999);
    expect(cosine(await embedText('blue'), redImage)).toBeLessThan(0);
  });

  it('gives a sentence without colour words the zero vector', async () => {
    const embedding = await embedText('a photo of a cat');

    expect(Array.from(embedding).every((x) => x === 0)).toBe(true);
  });

  it('feeds the attention mask when built with one', async () => {
    const masked = await buildSyntheticModel(path.join(dir, 'masked'), { textAttentionMask: true });
    const session = await InferenceSession.create(modelFilePath(masked, masked.spec.files.text!));
    const { inputIds, attentionMask } = tokenizer.encode('red');
    const zeroMask = new BigInt64Array(attentionMask.length);
    const run = async (mask: BigInt64Array) => {
      const results = await session.run({
        input_ids: new Tensor('int64', inputIds, [1, 77]),
        attention_mask: new Tensor('int64', mask, [1, 77]),
      });
      return results['text_embeds']!.data as Float32Array;
    };

    expect(session.inputNames).toEqual(['input_ids', 'attention_mask']);
    expect(cosine(await run(attentionMask), await embedImage([255, 0, 0]))).toBeGreaterThan(0.999);
    expect(Array.from(await run(zeroMask)).every((x) => x === 0)).toBe(true);
    await session.release();
  });

  it.each(['jpeg', 'png'] as const)(
    'writes a real %s photo of the requested colour',
    async (format) => {
      const file = path.join(dir, 'photos', `orange.${format === 'png' ? 'png' : 'jpg'}`);

      await writeColourPhoto(file, [255, 128, 0], { width: 120, height: 80, noise: 10 });

      const { channels, width, height, format: decoded } = await sharp(file).metadata();
      expect({ width, height, format: decoded }).toEqual({ width: 120, height: 80, format });
      expect(channels).toBe(3);
      const stats = await sharp(file).stats();
      const means = stats.channels.map((channel) => channel.mean);
      [255, 128, 0].forEach((value, i) => expect(Math.abs(means[i]! - value)).toBeLessThan(6));
      expect(stats.channels[1]!.stdev).toBeGreaterThan(1);
    },
  );
});
