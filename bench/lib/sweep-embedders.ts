/**
 * Image-only embedders for bench/pipeline-sweep.ts, to try what the product's embedder
 * (src-main/core/inference/embedder.ts) cannot be told yet: any onnxruntime session option
 * (thread count, spinning), and inference on a worker thread.
 *
 * [Note: onnxruntime-node runs on the main thread] In onnxruntime-node 1.30 `session.run`
 * resolves a promise from `setImmediate`, but the run itself is synchronous on the JS thread
 * (node_modules/onnxruntime-node/dist/backend.js): while a batch runs, the event loop is blocked,
 * so no decode continuation (sharp result → next sharp step, EXIF, hashing) can start. The worker
 * embedder measures what moving the session off the main thread would give.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Embedder } from '../../src-main/core/inference/embedder';
import type { InstalledModel } from '../../src-main/core/models/installed-model';
import { modelFilePath } from '../../src-main/core/models/installed-model';
import { normalizedRows } from '../../src-main/core/inference/normalize';

export interface SweepSessionOptions {
  intraOpNumThreads?: number;
  /** onnxruntime's default is on: idle intra-op threads spin for a while before sleeping. */
  allowSpinning?: boolean;
}

export function sessionOptions(options: SweepSessionOptions): InferenceSession.SessionOptions {
  return {
    ...(options.intraOpNumThreads === undefined
      ? {}
      : { intraOpNumThreads: options.intraOpNumThreads }),
    ...(options.allowSpinning === false
      ? { extra: { session: { intra_op: { allow_spinning: '0' } } } }
      : {}),
  };
}

/** Concatenates CHW tensors into one [N,3,S,S] batch. */
function batchOf(pixelTensors: readonly Float32Array[]): Float32Array {
  const size = pixelTensors[0]!.length;
  const batch = new Float32Array(pixelTensors.length * size);
  pixelTensors.forEach((tensor, index) => batch.set(tensor, index * size));
  return batch;
}

function imageOnly(
  model: InstalledModel,
  embedImages: Embedder['embedImages'],
  dispose: () => Promise<void>,
): Embedder {
  return {
    modelId: model.spec.id,
    dim: model.spec.embeddingDim,
    hasTextTower: false,
    provider: () => 'cpu',
    embedImages,
    embedTexts: () => Promise.reject(new Error('the sweep embedders embed images only')),
    dispose,
  };
}

/** The image tower in a session of this thread, created with `options`. */
export async function sessionEmbedder(
  model: InstalledModel,
  options: SweepSessionOptions,
): Promise<Embedder> {
  const { image, embeddingDim } = model.spec;
  const session = await InferenceSession.create(modelFilePath(model, model.spec.files.vision), {
    executionProviders: ['cpu'],
    ...sessionOptions(options),
  });
  return imageOnly(
    model,
    async (pixelTensors) => {
      const input = new Tensor('float32', batchOf(pixelTensors), [
        pixelTensors.length,
        3,
        image.size,
        image.size,
      ]);
      const output = (await session.run({ [image.inputName]: input }))[image.outputName]!;
      return normalizedRows(output.data as Float32Array, pixelTensors.length, embeddingDim);
    },
    () => session.release(),
  );
}

/** The image tower in a session on a worker thread (bench/lib/sweep-embedder-worker.ts). */
export async function workerEmbedder(
  model: InstalledModel,
  options: SweepSessionOptions,
): Promise<Embedder> {
  const { image, embeddingDim } = model.spec;
  const worker = new Worker(path.join(import.meta.dirname, 'sweep-embedder-worker.ts'), {
    execArgv: ['--import', 'tsx'],
    workerData: {
      modelPath: modelFilePath(model, model.spec.files.vision),
      options: sessionOptions(options),
      inputName: image.inputName,
      outputName: image.outputName,
    },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  // One batch at a time: each call waits for the previous one's answer.
  let pending:
    { resolve: (output: Float32Array) => void; reject: (error: unknown) => void } | undefined;
  worker.on('message', (output: Float32Array) => pending?.resolve(output));
  worker.on('error', (error) => pending?.reject(error));
  let queue: Promise<unknown> = Promise.resolve();
  return imageOnly(
    model,
    (pixelTensors) => {
      const run = queue.then(async () => {
        const batch = batchOf(pixelTensors);
        const output = await new Promise<Float32Array>((resolve, reject) => {
          pending = { resolve, reject };
          worker.postMessage({ batch, dims: [pixelTensors.length, 3, image.size, image.size] }, [
            batch.buffer as ArrayBuffer,
          ]);
        });
        return normalizedRows(output, pixelTensors.length, embeddingDim);
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async () => {
      await worker.terminate();
    },
  );
}
