import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core';
import { createCoreClient } from '../../../src-main/core/rpc/client';
import type { CoreClient } from '../../../src-main/core/rpc/client';
import { nodePortTransport } from '../../../src-main/core/rpc/transport';
import { PhotoseekError } from '../../../src-main/shared/errors';
import type { IndexProgress } from '../../../src-main/shared/types';
import { COLOUR_LIBRARY, writeColourLibrary } from '../../fixtures/colour-library';
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
 * RPC client.
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

  it('serves the library built from the configured data folder', async () => {
    const models = await client['models.list']();
    expect(models.find((model) => model.active)?.id).toBe(SYNTHETIC_MODEL_ID);
    await client['folders.add'](library);
    expect((await client['library.status']()).folders.map((folder) => folder.path)).toEqual([
      library,
    ]);
  });

  it('indexes with progress events and finds the red photos for "red"', async () => {
    const progress: IndexProgress[] = [];
    const unsubscribe = client.on('index.progress', (payload) => progress.push(payload));
    const report = await client['index.start']();
    unsubscribe();
    expect(report).toMatchObject({ indexed: COLOUR_LIBRARY.length, failed: 0 });
    expect(progress.map((event) => event.phase)).toContain('indexing');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', indexed: COLOUR_LIBRARY.length });

    const hits = await client['search.text']('a photo of something red', { limit: 5 });
    const reds = COLOUR_LIBRARY.filter((photo) => photo.colour === 'red').map((photo) =>
      path.join(library, photo.relativePath),
    );
    expect(new Set(hits.slice(0, reds.length).map((hit) => hit.path))).toEqual(new Set(reds));
    const thumbnail = await client['photos.thumbnailPath'](hits[0]!.photoId);
    expect(thumbnail).toMatch(/\.jpg$/);
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

  it('answers invalid arguments and core failures as data, and keeps running', async () => {
    const badQuery = await rejection(client['search.text']('', { limit: 5 }));
    expect(badQuery.code).toBe('BAD_ARGUMENT');
    expect(badQuery.message).toContain('search.text');
    expect((await rejection(client['search.similar'](1.5, {}))).code).toBe('BAD_ARGUMENT');
    expect((await rejection(client['photos.get'](987654))).code).toBe('NOT_FOUND');
    expect((await rejection(client['folders.add'](path.join(work, 'missing')))).code).toBe(
      'FOLDER_MISSING',
    );
    expect((await rejection(client['models.use']('no-such-model'))).code).toMatch(
      /NOT_FOUND|MODEL_MISSING/,
    );
    expect((await client['library.status']()).photos).toBe(COLOUR_LIBRARY.length);
  });
});
