import type { CoreEvents, EventName } from '../../shared/contract';
import { PhotoseekError } from '../../shared/errors';
import { replyOf } from '../../shared/reply';
import type { CallMessage, EventMessage, ReplyMessage } from './messages';
import { parseClientMessage } from './messages';
import type { RpcTransport } from './transport';

export type EmitEvent = <E extends EventName>(event: E, payload: CoreEvents[E]) => void;

/** What a served command gets besides its arguments. */
export interface CallContext {
  /** Aborted when the caller cancels this call (or the server is disposed). */
  signal: AbortSignal;
  /** Pushes an event to the client (progress of this or any other work). */
  emit: EmitEvent;
}

/**
 * An API served: each command takes the call's context, then the command's own arguments, and
 * answers with its result (a missing or mistyped command is a type error where the API is named).
 */
export type Served<Api> = {
  [K in keyof Api]: Api[K] extends (...args: infer Args) => Promise<infer Result>
    ? (call: CallContext, ...args: Args) => Result | Promise<Result>
    : never;
};

/** Any served API, as `serve` sees it: commands by name. */
type AnyServed = Readonly<Record<string, (call: CallContext, ...args: never) => unknown>>;

export interface Server {
  /** Stops answering, aborts every call still running and ends the event subscription. */
  dispose(): void;
}

export interface ServeOptions {
  /**
   * Events not tied to a call ([Note: Global core events]): called once with the server's `emit`;
   * returns the unsubscribe function, which `dispose` calls.
   */
  subscribe?: (emit: EmitEvent) => () => void;
}

/**
 * Serves any API over any transport ([Note: RPC wire format], [Note: RPC transports]): a call
 * runs the command of that name of `service`, with the arguments as sent (main checked them:
 * [Note: Validated once, in main]). Every call is answered exactly once, with a value or an error
 * as data: an unknown command is BAD_ARGUMENT, and a command that throws answers its call instead
 * of taking the host down. `createClient` is the other half.
 */
export function serve(
  transport: RpcTransport,
  service: AnyServed,
  options: ServeOptions = {},
): Server {
  const running = new Map<number, AbortController>();
  const emit: EmitEvent = (event, payload) =>
    transport.postMessage({ event, payload } satisfies EventMessage);
  const unsubscribe = options.subscribe?.(emit);

  async function answer({ id, command, args }: CallMessage): Promise<void> {
    const controller = new AbortController();
    running.set(id, controller);
    const reply = await replyOf(() => {
      if (!Object.hasOwn(service, command)) {
        throw new PhotoseekError('BAD_ARGUMENT', `Unknown command "${command}".`);
      }
      // The caller sent these arguments for `command`; main checked them against its schema.
      const run = service[command] as (call: CallContext, ...args: unknown[]) => unknown;
      return run({ signal: controller.signal, emit }, ...args);
    });
    running.delete(id);
    transport.postMessage({ id, ...reply } satisfies ReplyMessage);
  }

  const stopListening = transport.onMessage((raw) => {
    const message = parseClientMessage(raw);
    if (!message) return;
    if ('cancel' in message) {
      running
        .get(message.cancel)
        ?.abort(new PhotoseekError('CANCELLED', 'The operation was cancelled.'));
    } else {
      void answer(message);
    }
  });

  return {
    dispose() {
      stopListening();
      unsubscribe?.();
      for (const controller of running.values()) {
        controller.abort(new PhotoseekError('CANCELLED', 'The core is shutting down.'));
      }
    },
  };
}
