import { access } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { PhotoseekError } from '../../shared/errors';
import type { ProviderName } from './execution-providers';
import { createSessionWithFallback, openInThisThread } from './execution-providers';
import type { TowerSession, TowerWorker } from './tower-worker';
import { startTowerWorker } from './tower-worker';

/** Where a session runs: a tower worker of its own, or the thread that uses it. */
export type SessionThread = 'worker' | 'this';

/**
 * [Note: Lazy shared sessions] An ONNX session is expensive (model parse, provider start-up,
 * weights in memory), so each tower gets one, created on first use and shared by every later call
 * (DESIGN.md example 5, Ente's ml-worker). Concurrent first calls await the same creation. A failed
 * creation is forgotten, so a later call retries (e.g. after the model was downloaded).
 */
export interface LazySession {
  get(): Promise<TowerSession>;
  /** The provider the session was created with; null until it exists. */
  provider(): ProviderName | null;
  /**
   * The thread the session runs on once it exists: 'this' also when a worker was asked for and
   * could not start ([Note: Inference off the host's thread]); null until then.
   */
  thread(): SessionThread | null;
  /** Releases the session (waiting for a creation in flight); later `get` calls reject. */
  dispose(): Promise<void>;
}

export function lazySession(
  modelPath: string,
  providers: readonly ProviderName[],
  options: InferenceSession.SessionOptions,
  /** Checks the graph's inputs and outputs; throws to reject the model. */
  validate: (session: TowerSession) => void,
  wanted: SessionThread = 'this',
): LazySession {
  let pending: Promise<{ session: TowerSession; provider: ProviderName }> | null = null;
  let createdWith: ProviderName | null = null;
  let runsOn: SessionThread | null = null;
  let worker: TowerWorker | null = null;
  let disposed = false;

  async function open() {
    try {
      await access(modelPath);
    } catch (error) {
      throw new PhotoseekError('MODEL_MISSING', `The model file ${modelPath} is missing.`, {
        cause: error,
      });
    }
    if (wanted === 'worker' && !worker) {
      const started = await startTowerWorker();
      worker = started.worker;
      if (!started.worker) {
        console.warn(`Photoseek: ${modelPath} runs on the calling thread: ${started.reason}`);
      }
    }
    const created = await createSessionWithFallback(
      modelPath,
      providers,
      options,
      worker ? worker.open : openInThisThread,
    );
    try {
      validate(created.session);
    } catch (error) {
      await created.session.release();
      throw error;
    }
    createdWith = created.provider;
    runsOn = worker ? 'worker' : 'this';
    return created;
  }

  return {
    async get() {
      if (disposed) throw new Error(`The session for ${modelPath} has been disposed.`);
      pending ??= open().catch((error: unknown) => {
        pending = null;
        throw error;
      });
      return (await pending).session;
    },
    provider: () => createdWith,
    thread: () => runsOn,
    async dispose() {
      disposed = true;
      const created = await pending?.catch(() => null);
      pending = null;
      createdWith = null;
      runsOn = null;
      await created?.session.release();
      await worker?.terminate();
      worker = null;
    },
  };
}
