import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src-main/core/media';
import type { ImageInputSpec } from '../../../src-main/core/embed/model-spec';
import { toPixelTensor } from '../../../src-main/core/embed/preprocess';
import { hasShared, sharedPath } from '../../fixtures/shared-data';

/**
 * The decoder's crop, fed through toPixelTensor, against an independent implementation of CLIP's
 * image processor: transformers.js CLIPImageProcessor reading the real preprocessor_config.json of
 * openai/clip-vit-base-patch32 (shortest edge 224, bicubic, centre crop 224, CLIP mean/std).
 *
 * The two cannot agree bit for bit: the reference resizes with an affine bicubic that does not
 * antialias (it aliases when it shrinks a lot), ours antialiases and shrinks JPEGs on load. On the
 * clothing photos (400–900 px, a mild 2–4× reduction) they agree to within a few grey levels; a
 * wrong channel order, a missing rotation, an off-centre crop or a wrong normalisation would be far
 * outside these bounds.
 */
const tokenizerDir = ['models', 'clip-vit-b32-tokenizer'] as const;

describe.skipIf(
  !hasShared(...tokenizerDir, 'preprocessor_config.json') ||
    !hasShared('data', 'photos-cc0', 'labels.csv'),
)('model input vs an independent CLIP image processor', () => {
  async function setup() {
    const { env, AutoImageProcessor, RawImage } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = sharedPath('models');
    const processor = await AutoImageProcessor.from_pretrained('clip-vit-b32-tokenizer');
    const config = JSON.parse(
      await readFile(sharedPath(...tokenizerDir, 'preprocessor_config.json'), 'utf8'),
    ) as {
      crop_size: { height: number };
      image_mean: [number, number, number];
      image_std: [number, number, number];
      rescale_factor: number;
    };
    const spec: ImageInputSpec = {
      size: config.crop_size.height,
      resize: 'shortest-edge-crop',
      mean: config.image_mean,
      std: config.image_std,
      rescale: config.rescale_factor,
      inputName: 'pixel_values',
      outputName: 'image_embeds',
    };
    const reference = async (file: string): Promise<Float32Array> => {
      const { pixel_values } = (await processor(await RawImage.read(file))) as {
        pixel_values: { data: Float32Array; dims: number[] };
      };
      expect(pixel_values.dims).toEqual([1, 3, spec.size, spec.size]);
      return pixel_values.data;
    };
    return { spec, reference };
  }

  function compare(ours: Float32Array, theirs: Float32Array): { mae: number; correlation: number } {
    let sum = 0;
    let dot = 0;
    let a2 = 0;
    let b2 = 0;
    for (let i = 0; i < ours.length; i++) {
      sum += Math.abs(ours[i]! - theirs[i]!);
      dot += ours[i]! * theirs[i]!;
      a2 += ours[i]! ** 2;
      b2 += theirs[i]! ** 2;
    }
    return { mae: sum / ours.length, correlation: dot / Math.sqrt(a2 * b2) };
  }

  it('matches on real photos (channel order, crop, normalisation)', async () => {
    const { spec, reference } = await setup();
    const labels = (await readFile(sharedPath('data', 'photos-cc0', 'labels.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1);
    const sample = labels.filter((_, i) => i % 400 === 7).map((line) => line.split(',')[0]!);
    expect(sample.length).toBeGreaterThanOrEqual(8);
    for (const relative of sample) {
      const file = sharedPath('data', 'photos-cc0', relative);
      const decoded = await decodeImage(file, { input: spec, thumbnailSize: 384 });
      const { mae, correlation } = compare(toPixelTensor(decoded.rgb, spec), await reference(file));
      // 0.1 in normalised units is about 7 grey levels.
      expect(mae, relative).toBeLessThan(0.1);
      expect(correlation, relative).toBeGreaterThan(0.97);
    }
  });

  it('matches on EXIF-rotated photos, where a missing or wrong rotation would not', async () => {
    const { spec, reference } = await setup();
    for (const name of ['Landscape_6.jpg', 'Portrait_8.jpg', 'Landscape_3.jpg']) {
      const file = sharedPath('data', 'formats', 'sharp', 'test', 'fixtures', name);
      const decoded = await decodeImage(file, { input: spec, thumbnailSize: 384 });
      const theirs = await reference(file);
      const right = compare(toPixelTensor(decoded.rgb, spec), theirs);
      const upright = await decodeImage(
        sharedPath('data', 'formats', 'sharp', 'test', 'fixtures', name.replace(/\d/, '1')),
        {
          input: spec,
          thumbnailSize: 384,
        },
      );
      expect(right.correlation, name).toBeGreaterThan(0.9);
      // Sanity of the bound: the same scene in another orientation scores clearly lower.
      const stored = await decodeImage(file, {
        input: { size: spec.size, resize: 'squash' },
        thumbnailSize: 384,
      });
      expect(compare(toPixelTensor(stored.rgb, spec), theirs).correlation, name).toBeLessThan(
        right.correlation,
      );
      expect(compare(toPixelTensor(upright.rgb, spec), theirs).correlation, name).toBeGreaterThan(
        0.9,
      );
    }
  });
});
