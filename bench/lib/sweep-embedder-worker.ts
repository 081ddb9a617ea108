/** Worker thread of workerEmbedder (sweep-embedders.ts): one image session, one batch at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const { modelPath, options, inputName, outputName } = workerData as {
  modelPath: string;
  options: InferenceSession.SessionOptions;
  inputName: string;
  outputName: string;
};
const session = await InferenceSession.create(modelPath, {
  executionProviders: ['cpu'],
  ...options,
});
parentPort!.on('message', async ({ batch, dims }: { batch: Float32Array; dims: number[] }) => {
  const output = (await session.run({ [inputName]: new Tensor('float32', batch, dims) }))[
    outputName
  ]!;
  const data = output.data as Float32Array;
  parentPort!.postMessage(data, [data.buffer as ArrayBuffer]);
});
parentPort!.postMessage('ready');
