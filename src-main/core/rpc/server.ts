import { z } from 'zod';
import type { CoreEvents, EventName } from '../../shared/contract';
import { PhotoseekError, toErrorData } from '../../shared/errors';
import { hostArgs } from './host-api';
import type { HostCommandArgs, HostCommandName, HostResults } from './host-api';
import type { CallMessage, EventMessage, ReplyMessage } from './messages';
import { parseClientMessage } from './messages';
import type { RpcTransport } from './transport';

export type EmitEvent = <E extends EventName>(event: E, payload: CoreEvents[E]) => void;

/** What a handler gets besides its arguments. */
export interface CallContext {
  /** Aborted when the caller cancels this call (or the server is disposed). */
  signal: AbortSignal;
  /** Pushes an event to the client (progress of this or any other work). */
  emit: EmitEvent;
}

/**
 * One handler per host command ([Note: Host-only commands]); a missing one is a type error.
 * Arguments arrive already validated against the command's zod schema.
 */
export type CoreHandlers = {
  [K in HostCommandName]: (
    call: CallContext,
    ...args: HostCommandArgs<K>
  ) => Promise<HostResults[K]> | HostResults[K];
};

export interface CoreServer {
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
 * Serves `handlers` over `transport` ([Note: RPC wire format]). Every call is answered exactly
 * once, with a value or an error as data: invalid arguments are BAD_ARGUMENT with a readable
 * message, and a handler that throws answers its call instead of taking the host down.
 */
export function serveCore(
  transport: RpcTransport,
  handlers: CoreHandlers,
  options: ServeOptions = {},
): CoreServer {
  const running = new Map<number, AbortController>();
  const emit: EmitEvent = (event, payload) =>
    transport.postMessage({ event, payload } satisfies EventMessage);
  const unsubscribe = options.subscribe?.(emit);

  async function answer(call: CallMessage): Promise<void> {
    const controller = new AbortController();
    running.set(call.id, controller);
    try {
      const value = await invoke(call, { signal: controller.signal, emit });
      transport.postMessage({ id: call.id, ok: true, value } satisfies ReplyMessage);
    } catch (error) {
      transport.postMessage({
        id: call.id,
        ok: false,
        error: toErrorData(error),
      } satisfies ReplyMessage);
    } finally {
      running.delete(call.id);
    }
  }

  async function invoke({ command, args }: CallMessage, context: CallContext): Promise<unknown> {
    if (!Object.hasOwn(hostArgs, command))
      throw new PhotoseekError('BAD_ARGUMENT', `Unknown command "${command}".`);
    const name = command as HostCommandName;
    const parsed = hostArgs[name].safeParse(args);
    if (!parsed.success) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `Invalid arguments for ${name}: ${z.prettifyError(parsed.error)}`,
      );
    }
    // The schema for `name` just produced these arguments, so they fit its handler.
    const handler = handlers[name] as (call: CallContext, ...args: unknown[]) => unknown;
    return handler(context, ...parsed.data);
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
