import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';

/** What the embedder uses of an ONNX session, in this thread or in a tower worker. */
export type TowerSession = Pick<
  InferenceSession,
  'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'
> & {
  run(feeds: Record<string, Tensor>, fetches: readonly string[]): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
};

/** Opens a session for one model file with the given options (one execution provider). */
export type OpenSession = (
  modelPath: string,
  options: InferenceSession.SessionOptions,
) => Promise<TowerSession>;

/**
 * [Note: Inference off the host's thread] onnxruntime-node's `session.run` holds the calling JS
 * thread for the whole batch: measured on 2 cores with MobileNetV2 at batch 32, the event loop
 * stopped for 233–1,289 ms per run, so a search typed while the library indexed waited for the
 * batch, and the app's core host answered nothing meanwhile. The image tower (the one indexing
 * keeps busy) therefore runs in a worker thread of its own: the session is created there, each
 * batch is transferred in and its embeddings transferred back, and the host's thread only waits
 * on a message. The text tower stays on the host's thread: one query is a few milliseconds, and
 * hopping threads would add to every search.
 * The worker is a short CommonJS program given as source text (as the coarse scan's workers are,
 * [Note: Parallel coarse scan]), so it runs the same under tsx, the CLI and the bundled app; it
 * loads the onnxruntime-node that this module resolves. When a worker cannot start or cannot load
 * onnxruntime (an environment without worker threads for native modules), the embedder falls back
 * to a session on the host's thread and says so in the provider it reports ("cpu, in-thread").
 * The worker holds the process open only while a call is in flight.
 */
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.onnxruntimePath);
let session = null;
function graph(s) {
  return {
    inputNames: s.inputNames,
    outputNames: s.outputNames,
    inputMetadata: s.inputMetadata,
    outputMetadata: s.outputMetadata,
  };
}
async function answer(message) {
  switch (message.kind) {
    case 'open':
      if (session) await session.release();
      session = null;
      session = await ort.InferenceSession.create(message.modelPath, message.options);
      return { value: graph(session) };
    case 'run': {
      const feeds = {};
      for (const [name, t] of Object.entries(message.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const results = await session.run(feeds, message.fetches);
      const value = {};
      const transfer = [];
      for (const [name, t] of Object.entries(results)) {
        value[name] = { type: t.type, data: t.data, dims: t.dims };
        if (ArrayBuffer.isView(t.data)) transfer.push(t.data.buffer);
      }
      return { value, transfer };
    }
    case 'release':
      if (session) await session.release();
      session = null;
      return { value: null };
  }
}
parentPort.on('message', (message) => {
  answer(message).then(
    ({ value, transfer }) => parentPort.postMessage({ id: message.id, ok: true, value }, transfer ?? []),
    (error) => parentPort.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});
parentPort.postMessage({ ready: true });
`;

interface WireTensor {
  type: Tensor['type'];
  data: Tensor['data'];
  dims: readonly number[];
}

type Request =
  | { kind: 'open'; modelPath: string; options: InferenceSession.SessionOptions }
  | { kind: 'run'; feeds: Record<string, WireTensor>; fetches: readonly string[] }
  | { kind: 'release' };

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

/** One worker thread holding one session at a time. */
export interface TowerWorker {
  open: OpenSession;
  terminate(): Promise<void>;
}

/**
 * Starts a tower worker and waits until it has loaded onnxruntime; null (with the reason) when it
 * cannot, so the caller opens its session in this thread instead.
 */
export async function startTowerWorker(): Promise<
  { worker: TowerWorker } | { worker: null; reason: string }
> {
  let thread: Worker;
  try {
    thread = new Worker(WORKER_PROGRAM, {
      eval: true,
      workerData: { onnxruntimePath: createRequire(import.meta.url).resolve('onnxruntime-node') },
    });
  } catch (error) {
    return { worker: null, reason: reasonOf(error) };
  }
  const started = await new Promise<string | null>((resolve) => {
    thread.once('message', () => resolve(null));
    thread.once('error', (error) => resolve(reasonOf(error)));
    thread.once('exit', (code) => resolve(`the worker exited with code ${code}`));
  });
  if (started !== null) {
    await thread.terminate();
    return { worker: null, reason: started };
  }
  return { worker: workerClient(thread) };
}

function workerClient(thread: Worker): TowerWorker {
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  let nextId = 1;
  let failure: Error | null = null;
  thread.unref();

  function failAll(error: Error) {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  }
  thread.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) thread.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new Error(reply.message));
  });
  thread.on('error', (error) => failAll(error));
  thread.on('exit', (code) =>
    failAll(new Error(`The inference worker stopped (exit code ${code}).`)),
  );

  function call(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      thread.ref();
      thread.postMessage({ ...request, id }, transfer);
    });
  }

  return {
    async open(modelPath, options) {
      const graph = (await call({ kind: 'open', modelPath, options })) as Pick<
        TowerSession,
        'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'
      >;
      return {
        ...graph,
        async run(feeds, fetches) {
          const transfer: ArrayBuffer[] = [];
          const wire = Object.fromEntries(
            Object.entries(feeds).map(([name, tensor]) => {
              if (ArrayBuffer.isView(tensor.data) && tensor.data.buffer instanceof ArrayBuffer)
                transfer.push(tensor.data.buffer);
              return [name, { type: tensor.type, data: tensor.data, dims: tensor.dims }];
            }),
          );
          const results = (await call({ kind: 'run', feeds: wire, fetches }, transfer)) as Record<
            string,
            WireTensor
          >;
          return Object.fromEntries(
            Object.entries(results).map(([name, tensor]) => [
              name,
              new Tensor(tensor.type, tensor.data as Float32Array, tensor.dims),
            ]),
          );
        },
        async release() {
          await call({ kind: 'release' });
        },
      };
    },
    async terminate() {
      failAll(new Error('The inference worker was stopped.'));
      await thread.terminate();
    },
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
