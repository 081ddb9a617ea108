import { commandNames, shellCommandNames } from '../../src-main/shared/contract';
import type { CoreApi, PhotoseekBridge, ShellApi } from '../../src-main/shared/contract';
import { PhotoseekError } from '../../src-main/shared/errors';
import type { ErrorData } from '../../src-main/shared/errors';
import { createCoreClient } from '../../src-main/core/rpc/host-api';
import type { RpcTransport } from '../../src-main/core/rpc/transport';
import { decodeWire, encodeWire } from './wire';

/**
 * The page's half of the loopback bridge ([Note: Loopback bridge]), in place of the preload:
 * `window.photoseek` over fetch and EventSource. The core commands go through the same RPC
 * client as main's (createCoreClient), POSTed to `rpc` and answered on the `events` stream; the
 * shell commands go to `shell`. Every URL is relative to the page, `/<token>/`, so each request
 * carries the token. Loaded before the app's entry script, it uses nothing the app's CSP forbids.
 */
const base = new URL('./', window.location.href);

/**
 * Posts are chained, so the server receives them in the order the app sent them (the RPC relies
 * on it, as over a MessagePort), and none leaves before the event stream is open (its reply
 * would have nowhere to go).
 */
function loopbackTransport(): RpcTransport {
  const events = new EventSource(new URL('events', base));
  let sending = new Promise<unknown>((resolve) =>
    events.addEventListener('open', resolve, { once: true }),
  );
  return {
    postMessage(message) {
      const body = encodeWire(message);
      sending = sending.then(() => post(body));
    },
    onMessage(listener) {
      const deliver = (event: MessageEvent<string>): void => listener(decodeWire(event.data));
      events.addEventListener('message', deliver);
      return () => events.removeEventListener('message', deliver);
    },
  };
}

/** A failed post is logged (the tests fail on any console error) and the chain goes on. */
async function post(body: string): Promise<void> {
  try {
    const response = await fetch(new URL('rpc', base), { method: 'POST', body });
    if (!response.ok) console.error(`The loopback RPC answered ${response.status}.`);
  } catch (error) {
    console.error('The loopback RPC could not be reached:', error);
  }
}

async function runShell(command: string, args: unknown[]): Promise<unknown> {
  const response = await fetch(new URL('shell', base), {
    method: 'POST',
    body: JSON.stringify({ command, args }),
  });
  const reply = (await response.json()) as
    { ok: true; value: unknown } | { ok: false; error: ErrorData };
  if (reply.ok) return reply.value;
  throw new PhotoseekError(reply.error.code, reply.error.message);
}

const client = createCoreClient(loopbackTransport());

window.photoseek = {
  // Contract commands only, as the preload exposes them ([Note: Host-only commands]).
  core: Object.fromEntries(commandNames.map((name) => [name, client[name]])) as CoreApi,
  shell: Object.fromEntries(
    shellCommandNames.map((name) => [name, (...args: unknown[]) => runShell(name, args)]),
  ) as ShellApi,
  on: (event, listener) => client.on(event, listener),
  thumbnailUrl: (photoId) => new URL(`thumb/${photoId}`, base).pathname,
  photoUrl: (photoId) => new URL(`photo/${photoId}`, base).pathname,
  // A browser never tells a page where a file is: a dropped folder goes through the picker.
  pathForFile: () => '',
} satisfies PhotoseekBridge;
