import { proxyOf } from '../../shared/command';
import type { CoreEvents, EventName } from '../../shared/contract';
import { PhotoseekError } from '../../shared/errors';
import type { CallMessage, CancelMessage } from './messages';
import { parseServerMessage } from './messages';
import type { RpcTransport } from './transport';

export type CoreEventListener<E extends EventName> = (payload: CoreEvents[E]) => void;

/**
 * A served API as its callers see it ([Note: RPC wire format]): one async function per command,
 * typed events, and per-call cancellation. `withSignal(signal)` returns the same API with every
 * call tied to `signal`: aborting it rejects the call with CANCELLED at once and tells the server
 * to abort the command's signal.
 */
export type Client<Api> = Api & {
  withSignal(signal: AbortSignal): Api;
  /** Calls a command by name; what the API's functions do. */
  call(command: keyof Api & string, args: unknown[], signal?: AbortSignal): Promise<unknown>;
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: CoreEventListener<E>): () => void;
  /** Stops listening and rejects every pending call with `reason`. */
  dispose(reason?: PhotoseekError): void;
};

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: PhotoseekError): void;
}

/** The client of `serve`: `names` are the API's commands (its table's keys). */
export function createClient<Api>(
  transport: RpcTransport,
  names: readonly (keyof Api & string)[],
): Client<Api> {
  const pending = new Map<number, PendingCall>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 0;
  let stopped: PhotoseekError | undefined;

  function call(command: string, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (stopped) return Promise.reject(stopped);
    if (signal?.aborted) return Promise.reject(cancelledBy(signal));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        settle();
        transport.postMessage({ cancel: id } satisfies CancelMessage);
        reject(cancelledBy(signal!));
      };
      const settle = (): void => {
        pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
      };
      pending.set(id, {
        resolve: (value) => (settle(), resolve(value)),
        reject: (error) => (settle(), reject(error)),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        transport.postMessage({ id, command, args } satisfies CallMessage);
      } catch (error) {
        // Arguments that cannot be cloned (a function, a DOM node) fail here, before sending.
        pending
          .get(id)
          ?.reject(new PhotoseekError('BAD_ARGUMENT', `Cannot send ${command}: ${String(error)}`));
      }
    });
  }

  const api = (signal?: AbortSignal): Api =>
    proxyOf<Api>(names, (command, args) => call(command, args, signal));

  const stopListening = transport.onMessage((raw) => {
    const message = parseServerMessage(raw);
    if (!message) return;
    if ('event' in message) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    } else if (message.ok) {
      pending.get(message.id)?.resolve(message.value);
    } else {
      pending
        .get(message.id)
        ?.reject(new PhotoseekError(message.error.code, message.error.message));
    }
  });

  return {
    ...api(),
    withSignal: (signal) => api(signal),
    call,
    on(event, listener) {
      const forEvent = listeners.get(event) ?? new Set();
      listeners.set(event, forEvent);
      const untyped = listener as (payload: unknown) => void;
      forEvent.add(untyped);
      return () => forEvent.delete(untyped);
    },
    dispose(reason = new PhotoseekError('INTERNAL', 'The connection to the core was closed.')) {
      stopped = reason;
      stopListening();
      for (const call of [...pending.values()]) call.reject(reason);
      listeners.clear();
    },
  };
}

function cancelledBy(signal: AbortSignal): PhotoseekError {
  return signal.reason instanceof PhotoseekError
    ? signal.reason
    : new PhotoseekError('CANCELLED', 'The operation was cancelled.');
}
