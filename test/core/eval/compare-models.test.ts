import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core';
import { createCore } from '../../../src-main/core';
import { createCoreClient } from '../../../src-main/core/rpc/host-api';
import type { CoreClient } from '../../../src-main/core/rpc/host-api';
import { coreHandlers } from '../../../src-main/core/rpc/core-handlers';
import { serve } from '../../../src-main/core/rpc/server';
import type { Server } from '../../../src-main/core/rpc/server';
import { nodePortTransport } from '../../../src-main/core/rpc/transport';
import { commandArgs, validArgs } from '../../../src-main/shared/contract-schemas';
import type { ModelCompareProgress } from '../../../src-main/shared/types';
import { hasShared } from '../../fixtures/shared-data';
import {
  buildSyntheticModel,
  SYNTHETIC_IMAGE_ONLY_ID,
  SYNTHETIC_MODEL_ID,
  SYNTHETIC_TOKENIZER_PARTS,
  writeColourPhoto,
} from '../../fixtures/synthetic-model';

const SHADES = {
  red: [
    [255, 0, 0],
    [220, 30, 30],
    [200, 20, 50],
  ],
  green: [
    [0, 255, 0],
    [30, 210, 40],
    [60, 200, 20],
  ],
  blue: [
    [0, 0, 255],
    [30, 40, 210],
    [50, 20, 200],
  ],
} as const;

/**
 * [Note: Comparing models in the app] through the real parts, as the app's main process calls it:
 * the RPC client and server over a message channel, a real core with two installed synthetic
 * models (one CLIP-like with a text tower, one image-only), and a labelled folder on disk as
 * people keep one: a copy of a photo in its category, a file that is not an image.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'models.compare: installed models side by side on a labelled folder',
  () => {
    let work: string;
    let core: Core;
    let server: Server;
    let client: CoreClient;
    const labelled = (): string => path.join(work, 'labelled');

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-compare-'));
      for (const [colour, shades] of Object.entries(SHADES)) {
        for (const [index, rgb] of shades.entries()) {
          await writeColourPhoto(path.join(labelled(), colour, `shade-${index}.jpg`), rgb, {
            noise: index === 0 ? 0 : 6,
          });
        }
      }
      await copyFile(
        path.join(labelled(), 'red', 'shade-0.jpg'),
        path.join(labelled(), 'red', 'shade-0 copy.jpg'),
      );
      await writeFile(path.join(labelled(), 'blue', 'notes.jpg'), 'not a photo at all');
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(await modelFolder('clip-like', {}));
      await core.models.add(await modelFolder('image-only', { imageOnly: true }));
      const { port1, port2 } = new MessageChannel();
      server = serve(nodePortTransport(port1), coreHandlers(core));
      client = createCoreClient(nodePortTransport(port2));
    });

    async function modelFolder(name: string, options: { imageOnly?: boolean }): Promise<string> {
      const dir = path.join(work, name);
      await buildSyntheticModel(dir, options);
      return dir;
    }

    afterAll(async () => {
      client?.dispose();
      server?.dispose();
      await core?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('scores each model, reports progress model by model, and leaves nothing behind', async () => {
      const progress: ModelCompareProgress[] = [];
      const stop = client.on('models.compareProgress', (event) => progress.push(event));
      const report = await client['models.compare']({
        folder: labelled(),
        models: [SYNTHETIC_MODEL_ID, SYNTHETIC_IMAGE_ONLY_ID],
      });
      stop();

      expect(report.categories).toEqual(['blue', 'green', 'red']);
      expect(report.models.map((model) => model.modelId)).toEqual([
        SYNTHETIC_MODEL_ID,
        SYNTHETIC_IMAGE_ONLY_ID,
      ]);
      const [clipLike, imageOnly] = report.models;
      // The copy is one photo; the text file is a failure that stops nothing.
      expect(clipLike!.photos).toBe(9);
      expect(clipLike!.index.failed).toBe(1);
      // Colours separate perfectly in the CLIP-like model, whose text tower also names them.
      expect(clipLike!.overall).toEqual({ mapAtK: 1, zeroShotAccuracy: 1 });
      // The image-only model finds similar photos but has no zero-shot score at all.
      expect(imageOnly!.overall.zeroShotAccuracy).toBeNull();
      expect(imageOnly!.overall.mapAtK).toBeGreaterThan(0.9);

      const phases = progress.map((event) => `${event.modelIndex}:${event.phase}`);
      expect(phases[0]).toBe('0:embedding');
      expect(phases).toContain('0:scoring');
      expect(phases.at(-1)).toBe('1:scoring');
      expect(phases.indexOf('0:scoring')).toBeLessThan(phases.indexOf('1:embedding'));
      expect(progress.every((event) => event.models === 2)).toBe(true);

      // The temporary eval library is gone, and the user's library never saw the folder.
      const dataEntries = await readdir(path.join(work, 'data'));
      expect(dataEntries.filter((entry) => entry.startsWith('model-comparison-'))).toEqual([]);
      expect((await client['library.status']()).photos).toBe(0);
    });

    it('refuses a second comparison while one runs, then runs the next one', async () => {
      const first = client['models.compare']({ folder: labelled(), models: [SYNTHETIC_MODEL_ID] });
      await expect(
        client['models.compare']({ folder: labelled(), models: [SYNTHETIC_MODEL_ID] }),
      ).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: /already running/ });
      expect((await first).models).toHaveLength(1);
      const next = await client['models.compare']({
        folder: labelled(),
        models: [SYNTHETIC_IMAGE_ONLY_ID],
        k: 2,
      });
      expect(next.k).toBe(2);
    });

    it('says in one line what is wrong: a model not installed, a folder that is not there, bad arguments', async () => {
      await expect(
        client['models.compare']({ folder: labelled(), models: ['no-such-model'] }),
      ).rejects.toMatchObject({
        code: 'MODEL_MISSING',
        message: `Model "no-such-model" is not installed (installed: ${SYNTHETIC_MODEL_ID}, ${SYNTHETIC_IMAGE_ONLY_ID}).`,
      });
      await expect(
        client['models.compare']({
          folder: path.join(work, 'nowhere'),
          models: [SYNTHETIC_MODEL_ID],
        }),
      ).rejects.toMatchObject({ code: 'FOLDER_MISSING' });
      // Main refuses this before the core sees it ([Note: Validated once, in main]).
      expect(() =>
        validArgs(commandArgs, 'models.compare', [{ folder: labelled(), models: [] }]),
      ).toThrow(
        expect.objectContaining({
          code: 'BAD_ARGUMENT',
          message: expect.stringMatching(/Choose at least one model/),
        }),
      );
    });
  },
);
