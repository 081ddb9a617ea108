import type { ServerResponse } from 'node:http';
import { parseClientMessage } from '../../src-main/core/rpc/messages';
import type { ReplyMessage } from '../../src-main/core/rpc/messages';
import { commandArgs, validArgs } from '../../src-main/shared/contract-schemas';
import { toErrorData } from '../../src-main/shared/errors';
import type { RpcTransport } from '../../src-main/core/rpc/transport';
import { decodeWire, encodeWire } from './wire';

/** The server's end of the loopback RPC: what serve talks to, and what the HTTP routes feed. */
export interface HttpRpcEndpoint {
  readonly transport: RpcTransport;
  /** One message POSTed by the page ([Note: Loopback wire format]). */
  receive(body: string): void;
  /** Keeps `response` open as a Server-Sent-Events stream of replies and events. */
  stream(response: ServerResponse): void;
  close(): void;
}

/**
 * Calls and cancellations arrive as HTTP POSTs; replies and events go out on every open event
 * stream, one `data:` line per message. To serve this is an RpcTransport like a MessagePort.
 * Standing where main stands, it checks every call as main's IPC handlers do ([Note: Validated
 * once, in main]): the page reaches contract commands only ([Note: Host-only commands]), with
 * arguments their schemas accept; any other call is answered here and never reaches the core.
 */
export function createHttpRpcEndpoint(): HttpRpcEndpoint {
  const listeners = new Set<(message: unknown) => void>();
  const streams = new Set<ServerResponse>();

  function send(message: unknown): void {
    const line = `data: ${encodeWire(message)}\n\n`;
    for (const stream of streams) stream.write(line);
  }

  return {
    transport: {
      postMessage: send,
      onMessage(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    receive(body) {
      const message = parseClientMessage(decodeWire(body));
      if (!message) return;
      if ('command' in message) {
        try {
          message.args = validArgs(commandArgs, message.command, message.args);
        } catch (error) {
          send({ id: message.id, ok: false, error: toErrorData(error) } satisfies ReplyMessage);
          return;
        }
      }
      for (const listener of listeners) listener(message);
    },
    stream(response) {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      // A comment line sends the headers now, so the page's EventSource opens at once.
      response.write(': open\n\n');
      streams.add(response);
      response.on('close', () => streams.delete(response));
    },
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
