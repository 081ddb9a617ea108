import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourLibrary } from '../fixtures/colour-library';
import { runCli, STACK_FRAME } from '../fixtures/photoseek-cli';
import { hasShared, sharedPath } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_IMAGE_ONLY_ID } from '../fixtures/synthetic-model';
import { MOBILENET, writeMobileNetModelFolder } from '../fixtures/mobilenet-model';

/**
 * Image-only models ([Note: Image-only models]) through the CLI as a user runs it: added (and
 * proven, [Note: Models are proven before use]), used for indexing, find-similar and eval; text
 * queries refused with one line naming the model.
 */
describe('an image-only model (synthetic colour tower)', () => {
  let work: string;
  let dataDir: string;
  let library: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-image-only-'));
    dataDir = path.join(work, 'data');
    library = path.join(work, 'library');
    await writeColourLibrary(library);
    await buildSyntheticModel(path.join(work, 'model'), { imageOnly: true });
  }, 60_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('indexes and finds similar photos; a text search says it has no text tower', async () => {
    const added = await runCli(dataDir, ['models', 'add', path.join(work, 'model')]);
    expect(added.code, added.stderr).toBe(0);
    const listed = JSON.parse((await runCli(dataDir, ['--json', 'models', 'list'])).stdout) as {
      id: string;
      textSearch: boolean;
      active: boolean;
    }[];
    expect(listed.find((model) => model.id === SYNTHETIC_IMAGE_ONLY_ID)).toMatchObject({
      textSearch: false,
      active: true,
    });
    const indexed = await runCli(dataDir, ['--json', 'index', library]);
    expect(indexed.code, indexed.stderr).toBe(0);
    expect(JSON.parse(indexed.stdout)).toMatchObject({ failed: 0 });

    const red = path.join(library, 'red', 'r1.jpg');
    const similar = await runCli(dataDir, ['--json', 'similar', red, '-n', '3']);
    expect(similar.code, similar.stderr).toBe(0);
    const hits = JSON.parse(similar.stdout) as { path: string }[];
    expect(hits).toHaveLength(3);
    for (const hit of hits) expect(hit.path).toMatch(/[/\\]red[/\\]/);

    const search = await runCli(dataDir, ['search', 'red']);
    expect(search.code).not.toBe(0);
    expect(search.stderr).not.toMatch(STACK_FRAME);
    expect(search.stderr.trim().split('\n')).toHaveLength(1);
    expect(search.stderr).toMatch(
      /Synthetic colour model, image tower only \(tests\) \(synthetic-colour-image-only\) is an image-only model: it has no text tower/,
    );
  }, 120_000);

  it('evaluates find-similar and leaves zero-shot out', async () => {
    const result = await runCli(dataDir, ['eval', library]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no text tower/);
    expect(result.stderr).toMatch(/Scoring synthetic-colour-image-only: 10 photos/);
    expect(result.stdout).not.toMatch(/0\.000 \|\s*$/m);
    const json = await runCli(dataDir, ['--json', 'eval', library]);
    const report = JSON.parse(json.stdout) as {
      models: { overall: { mapAtK: number; zeroShotAccuracy: number | null } }[];
    };
    expect(report.models[0]!.overall.zeroShotAccuracy).toBeNull();
    expect(report.models[0]!.overall.mapAtK).toBeGreaterThan(0.9);
  }, 120_000);
});

describe('models add proves a model before accepting it', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-model-proof-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  /** A synthetic image-only folder with its spec edited by `change`. */
  async function modelWith(name: string, change: (spec: Record<string, unknown>) => void) {
    const dir = path.join(work, name);
    const { spec } = await buildSyntheticModel(dir, { imageOnly: true });
    const edited = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
    change(edited);
    await writeFile(path.join(dir, 'photoseek-model.json'), JSON.stringify(edited));
    return dir;
  }

  it.each([
    [
      'an output size other than embeddingDim',
      (s: Record<string, unknown>) => (s['embeddingDim'] = 17),
      /gives 8-dimensional embeddings but its spec says embeddingDim 17/,
    ],
    [
      'an input name the graph lacks',
      (s: Record<string, unknown>) =>
        ((s['image'] as Record<string, unknown>)['inputName'] = 'images'),
      /takes inputs \[pixel_values\] but its spec names \[images\]/,
    ],
    [
      'an output name the graph lacks',
      (s: Record<string, unknown>) =>
        ((s['image'] as Record<string, unknown>)['outputName'] = 'features'),
      /no output "features"/,
    ],
    [
      'an absurd image size',
      (s: Record<string, unknown>) => ((s['image'] as Record<string, unknown>)['size'] = 5000),
      /image\.size is not a plausible model input/,
    ],
    [
      'a missing file',
      (s: Record<string, unknown>) =>
        ((s['files'] as Record<string, unknown>)['vision'] = { path: 'towers/image.onnx' }),
      /missing towers\/image\.onnx/,
    ],
    [
      'a text section on an image-only model',
      (s: Record<string, unknown>) => (s['text'] = { contextLength: 77, padTokenId: 0 }),
      /an image-only model has no text tower: remove text/,
    ],
  ])('refuses %s, naming it', async (name, change, message) => {
    const dir = await modelWith(name.replaceAll(' ', '-'), change);
    const dataDir = path.join(work, `data-${name.replaceAll(' ', '-')}`);
    const result = await runCli(dataDir, ['models', 'add', dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).toMatch(message);
    const listed = await runCli(dataDir, ['--json', 'models', 'list']);
    expect(listed.stdout).not.toContain('synthetic-colour-image-only');
  });
});

const PHOTOS_TEST = ['data', 'photos-cc0', 'test'] as const;

/**
 * A REAL image model without a text tower: MobileNetV2 (ImageNet) from ../shared, through the
 * product path. Its README: mAP@5 0.83 on photos-cc0's test split with its own preprocessing
 * (short side 256, bilinear, centre crop 224, ImageNet mean/std).
 */
describe.skipIf(!hasShared(...MOBILENET) || !hasShared(...PHOTOS_TEST))(
  'MobileNetV2 (a real image-only model) on photos-cc0',
  () => {
    let work: string;
    let dataDir: string;
    let model: string;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-mobilenet-'));
      dataDir = path.join(work, 'data');
      model = path.join(work, 'mobilenet');
      await writeMobileNetModelFolder(model);
    });

    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('is accepted, and eval gives real find-similar quality', async () => {
      const added = await runCli(dataDir, ['models', 'add', model]);
      expect(added.code, added.stderr).toBe(0);
      const result = await runCli(dataDir, [
        '--json',
        'eval',
        sharedPath(...PHOTOS_TEST),
        '-k',
        '5',
      ]);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as {
        models: { photos: number; overall: { mapAtK: number; zeroShotAccuracy: number | null } }[];
      };
      const [scores] = report.models;
      expect(scores!.photos).toBeGreaterThan(350);
      expect(scores!.overall.zeroShotAccuracy).toBeNull();
      // Measured 0.667. Eval's AP@k divides by min(k, relevant) (eval/metrics.ts); normalised
      // by the hits instead, as the model's README does, the same embeddings give 0.833
      // (README: 0.83) and 1-NN accuracy 0.798 (README: 0.81). Chance with 10 classes: ≈ 0.1.
      expect(scores!.overall.mapAtK).toBeGreaterThan(0.62);
    }, 600_000);

    it('finds photos of the same category through index and similar', async () => {
      const folder = sharedPath(...PHOTOS_TEST);
      const indexed = await runCli(dataDir, ['--json', 'index', folder]);
      expect(indexed.code, indexed.stderr).toBe(0);
      let agree = 0;
      let total = 0;
      for (const category of (await readdir(folder)).sort()) {
        const photos = (await readdir(path.join(folder, category))).sort().slice(0, 2);
        for (const photo of photos) {
          const similar = await runCli(dataDir, [
            '--json',
            'similar',
            path.join(folder, category, photo),
            '-n',
            '6',
          ]);
          expect(similar.code, similar.stderr).toBe(0);
          const hits = (JSON.parse(similar.stdout) as { path: string }[]).slice(1);
          agree += hits.filter((hit) => path.basename(path.dirname(hit.path)) === category).length;
          total += hits.length;
        }
      }
      // Measured 0.57 (precision@5 of 20 queries; chance with 10 classes is about 0.1).
      expect(agree / total).toBeGreaterThan(0.45);
    }, 600_000);
  },
);
