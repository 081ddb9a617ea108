import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core';
import { createCore } from '../../../src-main/core';
import { createCoreClient } from '../../../src-main/core/rpc/host-api';
import type { CoreClient } from '../../../src-main/core/rpc/host-api';
import { createClient } from '../../../src-main/core/rpc/client';
import { coreHandlers } from '../../../src-main/core/rpc/core-handlers';
import type { CoreHandlers } from '../../../src-main/core/rpc/core-handlers';
import { serve } from '../../../src-main/core/rpc/server';
import type { EmitEvent, Served, Server } from '../../../src-main/core/rpc/server';
import { command, commandNamesOf } from '../../../src-main/shared/command';
import type { ApiOf } from '../../../src-main/shared/command';
import { domPortTransport, nodePortTransport } from '../../../src-main/core/rpc/transport';
import { PhotoseekError } from '../../../src-main/shared/errors';
import type { IndexProgress } from '../../../src-main/shared/types';

/**
 * The RPC over a real worker_threads MessageChannel, serving a real core (an empty library, no
 * model) with some handlers swapped for ones that throw, wait for cancellation or emit events.
 */
describe('rpc over a MessageChannel', () => {
  let work: string;
  let core: Core;
  let open: { client: CoreClient; server: Server; close(): void }[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-rpc-'));
    await mkdir(path.join(work, 'photos'));
    core = createCore({ dataDir: path.join(work, 'data') });
  });

  afterEach(() => {
    for (const connection of open) connection.close();
    open = [];
  });

  afterAll(async () => {
    await core?.dispose();
    await rm(work, { recursive: true, force: true });
  });

  function connect(overrides: Partial<CoreHandlers> = {}): CoreClient {
    const { port1, port2 } = new MessageChannel();
    const server = serve(nodePortTransport(port1), { ...coreHandlers(core), ...overrides });
    const client = createCoreClient(nodePortTransport(port2));
    open.push({ client, server, close: () => (client.dispose(), server.dispose(), port1.close()) });
    return client;
  }

  async function rejection(promise: Promise<unknown>): Promise<PhotoseekError> {
    const error: unknown = await promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(PhotoseekError);
    return error as PhotoseekError;
  }

  it('answers contract and host-only commands with the core’s values', async () => {
    const client = connect();
    const folder = await client['folders.add'](path.join(work, 'photos'));
    expect(folder).toMatchObject({ path: path.join(work, 'photos'), fileCount: 0 });
    const status = await client['library.status']();
    expect(status.folders.map((entry) => entry.path)).toEqual([folder.path]);
    expect(await client['photos.verifiedFile'](4242)).toBeNull();
    expect(await client['photos.thumbnailPath'](4242)).toBeNull();
  });

  it('carries the core’s errors as data and rebuilds them as PhotoseekError', async () => {
    const client = connect();
    const missing = await rejection(client['photos.get'](4242));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('4242');
    const notAFolder = await rejection(client['folders.add'](path.join(work, 'no-such-folder')));
    expect(notAFolder.code).toBe('FOLDER_MISSING');
  });

  it('hands the arguments to the command as sent: main checked them ([Note: Validated once, in main])', async () => {
    const received: unknown[][] = [];
    const client = connect({ 'search.text': (_call, ...args) => (received.push(args), []) });
    const options = { limit: 5, folders: [path.join(work, 'photos')] };
    expect(await client['search.text']('red -blue', options)).toEqual([]);
    expect(received).toEqual([['red -blue', options]]);
  });

  it('serves any API: a table of its own, a service and a client, over the same transport', async () => {
    const greeter = {
      'greet.hello': command<[name: string], string>(),
      'greet.count': command<[], number>(),
    };
    let greeted = 0;
    const service: Served<ApiOf<typeof greeter>> = {
      'greet.hello': (_call, name) => (greeted++, `Hello, ${name}!`),
      'greet.count': async () => greeted,
    };
    const { port1, port2 } = new MessageChannel();
    const server = serve(nodePortTransport(port1), service);
    const client = createClient<ApiOf<typeof greeter>>(
      nodePortTransport(port2),
      commandNamesOf(greeter),
    );
    try {
      expect(await client['greet.hello']('Ana')).toBe('Hello, Ana!');
      expect(await client['greet.count']()).toBe(1);
      const callAnything = client.call as (command: string, args: unknown[]) => Promise<unknown>;
      expect((await rejection(callAnything('library.status', []))).message).toBe(
        'Unknown command "library.status".',
      );
    } finally {
      client.dispose();
      server.dispose();
      port1.close();
    }
  });

  it('answers an unknown command with BAD_ARGUMENT and ignores messages that are not calls', async () => {
    const { port1, port2 } = new MessageChannel();
    const server = serve(nodePortTransport(port1), coreHandlers(core));
    const replies: unknown[] = [];
    const replied = new Promise<void>((resolve) =>
      port2.on('message', (reply) => (replies.push(reply), resolve())),
    );
    port2.postMessage({ hello: 'world' });
    port2.postMessage({ id: 7, command: 'fs.readFile', args: ['/etc/passwd'] });
    await replied;
    expect(replies).toEqual([
      {
        id: 7,
        ok: false,
        error: { code: 'BAD_ARGUMENT', message: 'Unknown command "fs.readFile".' },
      },
    ]);
    server.dispose();
    port1.close();
  });

  it('turns a throwing handler into an error answer and keeps serving', async () => {
    const client = connect({
      'library.status': () => {
        throw new Error('disk on fire');
      },
      'models.list': async () => {
        throw new PhotoseekError('DATABASE', 'The library database is locked.');
      },
    });
    const thrown = await rejection(client['library.status']());
    expect({ code: thrown.code, message: thrown.message }).toEqual({
      code: 'INTERNAL',
      message: 'disk on fire',
    });
    const rejected = await rejection(client['models.list']());
    expect({ code: rejected.code, message: rejected.message }).toEqual({
      code: 'DATABASE',
      message: 'The library database is locked.',
    });
    expect(await client['failures.list']()).toBeInstanceOf(Array);
  });

  it('cancels a call: the caller gets CANCELLED at once and the handler’s signal is aborted', async () => {
    let handlerSignal: AbortSignal | undefined;
    let reportStarted = (): void => undefined;
    const started = new Promise<void>((resolve) => (reportStarted = resolve));
    const client = connect({
      'search.text': (call) =>
        new Promise((_resolve, reject) => {
          handlerSignal = call.signal;
          call.signal.addEventListener('abort', () => reject(call.signal.reason as Error));
          reportStarted();
        }),
    });
    const controller = new AbortController();
    const search = client.withSignal(controller.signal)['search.text']('red', {});
    await started;
    controller.abort();
    expect((await rejection(search)).code).toBe('CANCELLED');
    await new Promise<void>((resolve) =>
      handlerSignal!.aborted
        ? resolve()
        : handlerSignal!.addEventListener('abort', () => resolve()),
    );
    expect((handlerSignal!.reason as PhotoseekError).code).toBe('CANCELLED');
    expect((await rejection(client.withSignal(controller.signal)['library.status']())).code).toBe(
      'CANCELLED',
    );
  });

  it('pushes events to subscribers until they unsubscribe', async () => {
    const progress: IndexProgress = {
      phase: 'indexing',
      done: 1,
      total: 2,
      indexed: 1,
      failed: 0,
      rate: 3,
      etaSeconds: 0.3,
      currentFile: '/a.jpg',
      provider: 'cpu',
    };
    const client = connect({ 'index.cancel': (call) => call.emit('index.progress', progress) });
    const received: IndexProgress[] = [];
    const unsubscribe = client.on('index.progress', (payload) => received.push(payload));
    await client['index.cancel']();
    expect(received).toEqual([progress]);
    unsubscribe();
    await client['index.cancel']();
    expect(received).toHaveLength(1);
  });

  it('pushes events not tied to a call from its subscription, and ends it on dispose', async () => {
    const { port1, port2 } = new MessageChannel();
    let emit: EmitEvent | undefined;
    let subscribed = false;
    const server = serve(nodePortTransport(port1), coreHandlers(core), {
      subscribe: (serverEmit) => {
        emit = serverEmit;
        subscribed = true;
        return () => (subscribed = false);
      },
    });
    const client = createCoreClient(nodePortTransport(port2));
    open.push({ client, server, close: () => (client.dispose(), port1.close()) });
    const notices: string[] = [];
    const arrived = new Promise<void>((resolve) =>
      client.on('library.notice', ({ message }) => (notices.push(message), resolve())),
    );

    emit?.('library.notice', { message: '/media/usb is offline' });
    await arrived;
    expect(notices).toEqual(['/media/usb is offline']);
    expect(subscribed).toBe(true);
    server.dispose();
    expect(subscribed).toBe(false);
  });

  it('rejects pending calls when the client is disposed', async () => {
    const client = connect({ 'library.status': () => new Promise(() => undefined) });
    const pending = client['library.status']();
    client.dispose(new PhotoseekError('INTERNAL', 'The core process stopped.'));
    expect((await rejection(pending)).message).toBe('The core process stopped.');
    expect((await rejection(client['failures.list']())).message).toBe('The core process stopped.');
  });

  it('does not compile a handler table with a command missing', () => {
    const { 'photos.get': _missing, ...incomplete } = coreHandlers(core);
    // @ts-expect-error 'photos.get' has no handler: tsc (npm run typecheck) must reject this.
    const handlers: CoreHandlers = incomplete;
    expect(Object.keys(handlers)).not.toContain('photos.get');
  });

  it('works over a web-style MessagePort (addEventListener) too', async () => {
    const { port1, port2 } = new globalThis.MessageChannel();
    const server = serve(domPortTransport(port1), coreHandlers(core));
    const client = createCoreClient(domPortTransport(port2));
    open.push({ client, server, close: () => (client.dispose(), server.dispose(), port1.close()) });
    expect(await client['failures.list']()).toBeInstanceOf(Array);
  });
});
