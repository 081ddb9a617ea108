import { access } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { PhotoseekError } from '../../shared/errors';
import type { ProviderName } from './execution-providers';
import { createSessionWithFallback } from './execution-providers';

/**
 * [Note: Lazy shared sessions] An ONNX session is expensive (model parse, provider start-up,
 * weights in memory), so each tower gets one, created on first use and shared by every later call
 * (DESIGN.md example 5, Ente's ml-worker). Concurrent first calls await the same creation. A failed
 * creation is forgotten, so a later call retries (e.g. after the model was downloaded).
 */
export interface LazySession {
  get(): Promise<InferenceSession>;
  /** The provider the session was created with; null until it exists. */
  provider(): ProviderName | null;
  /** Releases the session (waiting for a creation in flight); later `get` calls reject. */
  dispose(): Promise<void>;
}

export function lazySession(
  modelPath: string,
  providers: readonly ProviderName[],
  options: InferenceSession.SessionOptions,
  /** Checks the graph's inputs and outputs; throws to reject the model. */
  validate: (session: InferenceSession) => void,
): LazySession {
  let pending: Promise<{ session: InferenceSession; provider: ProviderName }> | null = null;
  let createdWith: ProviderName | null = null;
  let disposed = false;

  async function open() {
    try {
      await access(modelPath);
    } catch (error) {
      throw new PhotoseekError('MODEL_MISSING', `The model file ${modelPath} is missing.`, {
        cause: error,
      });
    }
    const created = await createSessionWithFallback(modelPath, providers, options);
    try {
      validate(created.session);
    } catch (error) {
      await created.session.release();
      throw error;
    }
    createdWith = created.provider;
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
    async dispose() {
      disposed = true;
      const created = await pending?.catch(() => null);
      pending = null;
      createdWith = null;
      await created?.session.release();
    },
  };
}
