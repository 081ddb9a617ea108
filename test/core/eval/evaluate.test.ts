import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelStore } from '../../../src-main/core/models/model-store';
import type { EvalReport } from '../../../src-main/shared/eval-report';
import { evaluateModels } from '../../../src-main/core/eval/evaluate';
import { renderEvalChart } from '../../../src-main/cli/eval-report-chart';
import { formatEvalReport } from '../../../src-main/cli/eval-report-table';
import { hasShared } from '../../fixtures/shared-data';
import {
  buildSyntheticModel,
  SYNTHETIC_MODEL_ID,
  SYNTHETIC_TOKENIZER_PARTS,
  writeColourPhoto,
} from '../../fixtures/synthetic-model';

/**
 * `photoseek eval` end to end with the synthetic colour model ([Note: Synthetic model]), whose
 * answers are known: on a red/green/blue folder tree, find-similar and zero-shot ("a photo of a
 * red") are perfect, and a caption "a red photo" finds the pure red photo first.
 */
const COLOURS = {
  red: [
    [255, 0, 0],
    [220, 30, 30],
    [200, 20, 50],
    [240, 60, 20],
  ],
  green: [
    [0, 255, 0],
    [30, 210, 40],
    [60, 200, 20],
    [20, 230, 70],
  ],
  blue: [
    [0, 0, 255],
    [30, 40, 210],
    [50, 20, 200],
    [20, 70, 230],
  ],
} as const;
const SECOND_MODEL_ID = 'synthetic-colour-copy';

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'evaluateModels with the synthetic colour model',
  () => {
    let work: string;
    let report: EvalReport;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-eval-'));
      const library = path.join(work, 'labelled');
      for (const [colour, shades] of Object.entries(COLOURS)) {
        for (const [index, rgb] of shades.entries()) {
          const name = index === 0 ? 'pure.jpg' : `shade-${index}.jpg`;
          await writeColourPhoto(path.join(library, colour, name), rgb, {
            noise: index === 0 ? 0 : 6,
          });
        }
      }
      await writeColourPhoto(path.join(library, 'loose.jpg'), [128, 128, 0]); // no category: ignored
      const captions = [
        'path,caption',
        'labelled/red/pure.jpg,a red photo',
        'labelled/green/pure.jpg,"a green photo, nothing else"',
        'labelled/blue/pure.jpg,a blue photo',
        'labelled/blue/missing.jpg,a photo that is not there',
      ];
      await writeFile(path.join(work, 'captions.csv'), `${captions.join('\n')}\n`);

      // Two models side by side: the synthetic model and a copy under another id.
      const dataDir = path.join(work, 'data');
      const models = createModelStore({ dataDir });
      await buildSyntheticModel(path.join(work, 'model'));
      await cp(path.join(work, 'model'), path.join(work, 'model-copy'), { recursive: true });
      const specFile = path.join(work, 'model-copy', 'photoseek-model.json');
      const spec = JSON.parse(await readFile(specFile, 'utf8')) as { id: string };
      await writeFile(specFile, JSON.stringify({ ...spec, id: SECOND_MODEL_ID }));
      await models.addLocal(path.join(work, 'model'));
      await models.addLocal(path.join(work, 'model-copy'));

      report = await evaluateModels({
        dataDir,
        folder: library,
        captionsFile: path.join(work, 'captions.csv'),
        modelIds: [SYNTHETIC_MODEL_ID, SECOND_MODEL_ID],
        workDir: path.join(work, 'eval'),
      });
    });

    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('labels photos by their top-level folder and ignores loose files', () => {
      expect(report.categories).toEqual(['blue', 'green', 'red']);
      expect(report.models.map((model) => model.photos)).toEqual([12, 12]);
      expect(report.models[0]!.categories.map((category) => category.photos)).toEqual([4, 4, 4]);
    });

    it('scores find-similar mAP@5 = 1 and zero-shot accuracy = 1 per category, for each model', () => {
      for (const model of report.models) {
        expect(model.overall).toEqual({ mapAtK: 1, zeroShotAccuracy: 1 });
        for (const category of model.categories) {
          expect(category).toMatchObject({ mapAtK: 1, zeroShotAccuracy: 1 });
        }
      }
    });

    it('finds the captioned photo first: recall@1 = 1, and counts captions without a photo', () => {
      expect(report.unmatchedCaptions).toBe(1);
      for (const model of report.models) {
        expect(model.recall).toEqual({ captions: 3, atK: { 1: 1, 5: 1, 10: 1 } });
      }
    });

    it('embeds the library once per model, and a kept work folder is not embedded again', async () => {
      expect(report.models.map((model) => model.index.indexed)).toEqual([13, 13]);
      const again = await evaluateModels({
        dataDir: path.join(work, 'data'),
        folder: path.join(work, 'labelled'),
        modelIds: [SECOND_MODEL_ID],
        workDir: path.join(work, 'eval'),
      });
      expect(again.models[0]!.index).toMatchObject({ indexed: 0, unchanged: 13 });
      expect(again.models[0]!.overall).toEqual(report.models[1]!.overall);
    });

    it('renders a table with the models side by side and a self-contained SVG chart', () => {
      const table = formatEvalReport(report);
      expect(table).toContain(
        `| category | photos | ${SYNTHETIC_MODEL_ID} mAP@5 | ${SYNTHETIC_MODEL_ID} zero-shot | ${SECOND_MODEL_ID} mAP@5`,
      );
      expect(table).toContain('| red | 4 | 1.000 | 1.000 | 1.000 | 1.000 |');
      expect(table).toContain(`| ${SECOND_MODEL_ID} | 1.000 | 1.000 | 1.000 |`);
      const html = renderEvalChart(report);
      expect(html).toMatch(/^<!doctype html>/);
      expect(html.match(/<svg /g)).toHaveLength(3);
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    });

    it('leaves room for long category names in the chart', () => {
      const long = 'a category name far longer than any folder name in the test library';
      const renamed = {
        ...report,
        categories: [long],
        models: report.models.map((model) => ({
          ...model,
          categories: [{ ...model.categories[0]!, category: long }],
        })),
      };
      const svg = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(renderEvalChart(renamed))!;
      const [width, height] = [Number(svg[1]), Number(svg[2])];
      const extent = long.length * 6.5;
      // Turned 35°: the label reaches down sin·extent and left cos·extent from the first bar.
      expect(height).toBeGreaterThanOrEqual(10 + 180 + extent * Math.sin((35 * Math.PI) / 180));
      const label = /<text transform="translate\(([\d.]+),/.exec(renderEvalChart(renamed))!;
      expect(Number(label[1]) - extent * Math.cos((35 * Math.PI) / 180)).toBeGreaterThanOrEqual(0);
      expect(width).toBeGreaterThan(0);
    });
  },
);
