import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core';
import { createCoreClient } from '../../../src-main/core/rpc/host-api';
import type { CoreClient } from '../../../src-main/core/rpc/host-api';
import { nodePortTransport } from '../../../src-main/core/rpc/transport';
import type { CoreEvents } from '../../../src-main/shared/contract';
import { PhotoseekError } from '../../../src-main/shared/errors';
import type { IndexProgress } from '../../../src-main/shared/types';
import { COLOUR_LIBRARY, writeColourLibrary, writePhoto } from '../../fixtures/colour-library';
import { hasShared } from '../../fixtures/shared-data';
import {
  buildSyntheticModel,
  SYNTHETIC_MODEL_ID,
  SYNTHETIC_TOKENIZER_PARTS,
} from '../../fixtures/synthetic-model';

const hostEntry = new URL('../../../src-main/core-host/main.ts', import.meta.url);

/**
 * The core host entry in a real worker thread (as in the app's utility process, minus Electron),
 * with the real core, the synthetic colour model and real image files, driven only through the
 * RPC client. The model is installed before the host starts, so the host is live from the start
 * ([Note: Live from the start]).
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('core host in a worker thread', () => {
  let work: string;
  let library: string;
  let host: Worker;
  let client: CoreClient;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-host-'));
    library = path.join(work, 'library');
    const dataDir = path.join(work, 'data');
    await writeColourLibrary(library);
    await buildSyntheticModel(path.join(work, 'model'));
    // The contract has no "add a local model folder" command: install it the way the CLI would.
    const setup = createCore({ dataDir });
    await setup.models.add(path.join(work, 'model'));
    await setup.dispose();

    host = new Worker(hostEntry, {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PHOTOSEEK_DATA_DIR: dataDir },
    });
    client = createCoreClient(nodePortTransport(host));
  });

  afterAll(async () => {
    client?.dispose();
    await host?.terminate();
    await rm(work, { recursive: true, force: true });
  });

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

  /** Resolves with the first event of `event` that `accept` takes. */
  function nextEvent<E extends 'index.progress' | 'library.notice'>(
    event: E,
    accept: (payload: CoreEvents[E]) => boolean,
  ): Promise<CoreEvents[E]> {
    return new Promise((resolve) => {
      const unsubscribe = client.on(event, (payload) => {
        if (!accept(payload)) return;
        unsubscribe();
        resolve(payload);
      });
    });
  }

  it('serves the library built from the configured data folder', async () => {
    const models = await client['models.list']();
    expect(models.find((model) => model.active)?.id).toBe(SYNTHETIC_MODEL_ID);
    expect(await client['library.status']()).toMatchObject({
      folders: [],
      paused: false,
      queued: 0,
    });
  });

  it('indexes an added folder by itself (live mode) and reports it with progress events', async () => {
    const indexed = nextEvent(
      'index.progress',
      (event) => event.phase === 'done' && event.indexed === COLOUR_LIBRARY.length,
    );
    await client['folders.add'](library);
    expect(await indexed).toMatchObject({ failed: 0, total: COLOUR_LIBRARY.length });
    const status = await client['library.status']();
    expect(status.folders.map((folder) => folder.path)).toEqual([library]);
    expect(status).toMatchObject({ photos: COLOUR_LIBRARY.length, queued: 0 });
    // The execution provider that embedded them ('cpu' here, where no GPU provider loads).
    expect(status.provider).toMatch(/^[a-z+]+$/);

    const hits = await client['search.text']('a photo of something red', { limit: 5 });
    const reds = COLOUR_LIBRARY.filter((photo) => photo.colour === 'red').map((photo) =>
      path.join(library, photo.relativePath),
    );
    expect(new Set(hits.slice(0, reds.length).map((hit) => hit.path))).toEqual(new Set(reds));
    const thumbnail = await client['photos.thumbnailPath'](hits[0]!.photoId);
    expect(thumbnail).toMatch(/\.jpg$/);
  });

  it('sends each progress event of an index.start once', async () => {
    const progress: IndexProgress[] = [];
    const unsubscribe = client.on('index.progress', (payload) => progress.push(payload));
    const report = await client['index.start']();
    unsubscribe();
    expect(report).toMatchObject({ indexed: 0, unchanged: COLOUR_LIBRARY.length, failed: 0 });
    expect(progress.map((event) => event.phase).filter((phase) => phase !== 'indexing')).toEqual([
      'scanning',
      'done',
    ]);
  });

  it('forwards library notices: a folder that went missing is reported offline', async () => {
    const usb = path.join(work, 'usb');
    await mkdir(usb);
    await client['folders.add'](usb);
    await rm(usb, { recursive: true });
    const offline = nextEvent('library.notice', ({ message }) => message.includes(usb));
    await client['index.start']();
    expect((await offline).message).toMatch(/offline/);
    await client['folders.remove'](usb);
  });

  it('index.cancel stops the running index and the one waiting behind it', async () => {
    const running = client['index.start']();
    const waiting = client['index.start']([library]);
    await client['index.cancel']();
    expect((await rejection(running)).code).toBe('CANCELLED');
    expect((await rejection(waiting)).code).toBe('CANCELLED');
    // Nothing is left stuck: the next run goes through.
    expect(await client['index.start']()).toMatchObject({ unchanged: COLOUR_LIBRARY.length });
  });

  it('a caller’s AbortSignal cancels its own index run', async () => {
    const controller = new AbortController();
    const run = client.withSignal(controller.signal)['index.start']();
    controller.abort();
    expect((await rejection(run)).code).toBe('CANCELLED');
    expect(await client['index.start']()).toMatchObject({ unchanged: COLOUR_LIBRARY.length });
  });

  it('answers unknown commands and core failures as data, and keeps running', async () => {
    // Arguments are main's to check ([Note: Validated once, in main]); the core's own checks remain.
    const badQuery = await rejection(client['search.text']('', { limit: 5 }));
    expect(badQuery.code).toBe('BAD_ARGUMENT');
    expect(badQuery.message).toMatch(/^Type what to look for/);
    const unknown = await rejection(client.call('photos.rename' as 'photos.get', [1]));
    expect(unknown).toMatchObject({
      code: 'BAD_ARGUMENT',
      message: 'Unknown command "photos.rename".',
    });
    expect((await rejection(client['photos.get'](987654))).code).toBe('NOT_FOUND');
    expect((await rejection(client['folders.add'](path.join(work, 'missing')))).code).toBe(
      'FOLDER_MISSING',
    );
    expect((await rejection(client['models.use']('no-such-model'))).code).toMatch(
      /NOT_FOUND|MODEL_MISSING/,
    );
    expect((await client['library.status']()).photos).toBe(COLOUR_LIBRARY.length);
  });

  it('index.pause keeps new work queued and index.resume drains it', async () => {
    await client['index.pause']();
    expect(await client['library.status']()).toMatchObject({ paused: true, queued: 0 });
    const late = [
      { relativePath: 'late/y1.jpg', colour: 'red', rgb: [240, 30, 30] },
      { relativePath: 'late/y2.jpg', colour: 'red', rgb: [220, 40, 20] },
    ] as const;
    await Promise.all(late.map((photo) => writePhoto(library, photo)));
    // The watcher queues the new files, and nothing indexes them while paused.
    await expect
      .poll(async () => (await client['library.status']()).queued, { timeout: 15_000 })
      .toBe(late.length);
    expect(await client['library.status']()).toMatchObject({
      paused: true,
      photos: COLOUR_LIBRARY.length,
    });

    await client['index.resume']();
    expect(await client['library.status']()).toMatchObject({
      paused: false,
      queued: 0,
      photos: COLOUR_LIBRARY.length + late.length,
    });
  });
});
