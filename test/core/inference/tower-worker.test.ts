import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../src-main/core/inference/embedder';
import type { InstalledModel } from '../../../src-main/core/models/installed-model';
import { lazySession } from '../../../src-main/core/inference/lazy-session';
import { toPixelTensor } from '../../../src-main/core/inference/preprocess';
import { startTowerWorker } from '../../../src-main/core/inference/tower-worker';
import { MOBILENET } from '../../fixtures/mobilenet-model';
import { hasShared, sharedPath } from '../../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../../fixtures/synthetic-model';

const SIZE = 224;

function noiseImage(seed: number): Uint8Array {
  const bytes = new Uint8Array(SIZE * SIZE * 3);
  let state = seed;
  for (let i = 0; i < bytes.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** [Note: Inference off the host's thread], with real ONNX sessions. */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'the image tower in a worker thread',
  () => {
    let dir: string;
    let model: InstalledModel;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-tower-worker-'));
      model = await buildSyntheticModel(path.join(dir, 'model'));
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('gives exactly the embeddings of a session on this thread', async () => {
      const images = [1, 2, 3, 4, 5].map((seed) =>
        toPixelTensor(noiseImage(seed), model.spec.image),
      );
      const inWorker = createEmbedder(model, { providers: ['cpu'] });
      const inThread = createEmbedder(model, { providers: ['cpu'], imageThread: 'this' });
      try {
        const [fromWorker, fromThread] = await Promise.all([
          inWorker.embedImages(images.map((image) => image.slice())),
          inThread.embedImages(images.map((image) => image.slice())),
        ]);
        expect(fromWorker).toHaveLength(5);
        fromWorker.forEach((vector, index) => expect([...vector]).toEqual([...fromThread[index]!]));
        expect(inWorker.provider()).toBe('cpu');
      } finally {
        await Promise.all([inWorker.dispose(), inThread.dispose()]);
      }
    });

    it('names the model problem as the host thread would: a graph input the spec does not know', async () => {
      const session = lazySession(
        path.join(model.dir, model.spec.files.vision.path),
        ['cpu'],
        {},
        (opened) => {
          if (!opened.inputNames.includes('not-the-input'))
            throw new Error(`inputs: ${opened.inputNames.join(', ')}`);
        },
        'worker',
      );
      await expect(session.get()).rejects.toThrow(`inputs: ${model.spec.image.inputName}`);
      await session.dispose();
    });

    it('reports a failed run as an error and keeps working', async () => {
      const started = await startTowerWorker();
      expect(started.worker).not.toBeNull();
      const worker = started.worker!;
      try {
        const session = await worker.open(path.join(model.dir, model.spec.files.vision.path), {
          executionProviders: ['cpu'],
        });
        const wrongShape = new Tensor('float32', new Float32Array(3 * 8 * 8), [1, 3, 8, 8]);
        await expect(
          session.run({ [model.spec.image.inputName]: wrongShape }, [model.spec.image.outputName]),
        ).rejects.toThrow();
        const image = toPixelTensor(noiseImage(9), model.spec.image);
        const good = new Tensor('float32', image, [1, 3, SIZE, SIZE]);
        const results = await session.run({ [model.spec.image.inputName]: good }, [
          model.spec.image.outputName,
        ]);
        expect(results[model.spec.image.outputName]!.dims).toEqual([1, 16]);
        await session.release();
      } finally {
        await worker.terminate();
      }
      // A file that is not a model: the open fails with onnxruntime's reason, in one error.
      const second = await startTowerWorker();
      const notAModel = path.join(dir, 'not-a-model.onnx');
      await writeFile(notAModel, 'not a model');
      await expect(
        second.worker!.open(notAModel, { executionProviders: ['cpu'] }),
      ).rejects.toThrow();
      await second.worker!.terminate();
    });
  },
);

describe.skipIf(!hasShared(...MOBILENET))(
  'a real model in the worker leaves the host thread free',
  () => {
    it('keeps the event loop turning while MobileNetV2 embeds a batch of 16', async () => {
      const session = lazySession(
        sharedPath(...MOBILENET, 'model.onnx'),
        ['cpu'],
        {},
        () => undefined,
        'worker',
      );
      try {
        const opened = await session.get();
        expect(session.thread()).toBe('worker');
        const batch = new Float32Array(16 * 3 * SIZE * SIZE).fill(0.25);
        let ticks = 0;
        const timer = setInterval(() => ticks++, 1);
        const ticksBefore = ticks;
        const results = await opened.run(
          { [opened.inputNames[0]!]: new Tensor('float32', batch, [16, 3, SIZE, SIZE]) },
          ['image_embeds'],
        );
        clearInterval(timer);
        expect(results['image_embeds']!.dims).toEqual([16, 1280]);
        // On this thread the same run holds the loop for its whole length (233–1,289 ms
        // measured): no timer would fire until it returned.
        expect(ticks - ticksBefore).toBeGreaterThan(0);
      } finally {
        await session.dispose();
      }
    }, 120_000);
  },
);
