import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../src-main/core';
import { createCore } from '../../src-main/core';
import { createCoreClient } from '../../src-main/core/rpc/host-api';
import type { CoreClient } from '../../src-main/core/rpc/host-api';
import { coreHandlers } from '../../src-main/core/rpc/core-handlers';
import { serve } from '../../src-main/core/rpc/server';
import type { Server } from '../../src-main/core/rpc/server';
import { nodePortTransport } from '../../src-main/core/rpc/transport';
import { DROPPED_FOLDERS_CHANNEL } from '../../src-main/electron/dropped-folders';
import { registerIpcHandlers } from '../../src-main/electron/ipc';
import { createShellActions } from '../../src-main/electron/shell-actions';
import type { PhotoseekBridge } from '../../src-main/shared/contract';
import { COLOUR_LIBRARY, writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import {
  buildSyntheticModel,
  SYNTHETIC_IMAGE_ONLY_ID,
  SYNTHETIC_MODEL_ID,
  SYNTHETIC_TOKENIZER_PARTS,
} from '../fixtures/synthetic-model';
import { updateCheckOff } from './update-check-off';
import { fileOnDisk, folderDrop, recorder, stubWindow } from './stub-electron';

vi.mock('electron', async () => await import('./stub-electron'));

const NOT_CHOSEN = 'Choose the folder with Add folder… or drop it on the window.';

/**
 * [Note: Folders the user chose] and [Note: Dropped folders], end to end in the glue: the preload
 * (its bridge and its drop listener) and main's IPC handlers with the stub electron, over the RPC
 * to a real core. Every call goes the renderer's way, through `window.photoseek`.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS) || process.platform === 'win32')(
  'electron glue: folders.add, models.add and models.compare take only a folder the user chose',
  () => {
    let work: string;
    let core: Core;
    let server: Server;
    let client: CoreClient;
    let bridge: PhotoseekBridge;
    const window = stubWindow();
    const folder = (relative: string): string => path.join(work, relative);
    const rejection = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => 'answered',
        (error: unknown) => error,
      );
    const listedFolders = (): string[] => core.listFolders().map((entry) => entry.path);
    const drop = (event: ReturnType<typeof folderDrop>): void =>
      window.dropListeners.forEach((listener) => listener(event));

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-chosen-folders-'));
      await writeColourLibrary(folder('library'));
      for (const relative of ['picked/inside', 'picked-not', 'dropped', 'forged-a', 'forged-b']) {
        await mkdir(folder(relative), { recursive: true });
      }
      await buildSyntheticModel(folder('model'));
      core = createCore({ dataDir: folder('data') });
      await core.models.add(folder('model'));
      const { port1, port2 } = new MessageChannel();
      server = serve(nodePortTransport(port1), coreHandlers(core));
      client = createCoreClient(nodePortTransport(port2));
      registerIpcHandlers({
        core: client,
        shell: createShellActions(() => null, client, updateCheckOff(work)),
        isTrustedSender: (frame) => frame !== null && !frame.url.startsWith('https:'),
      });
      // The preload runs in the page's window, before any page script.
      (globalThis as { window?: unknown }).window = window;
      await import('../../src-main/electron/preload');
      bridge = recorder.exposedInMainWorld.get('photoseek') as PhotoseekBridge;
    });

    afterAll(async () => {
      client?.dispose();
      server?.dispose();
      await core?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('refuses /etc, / and any folder never picked or dropped, with what to do instead', async () => {
      for (const target of ['/etc', '/', folder('library')]) {
        expect(await rejection(bridge.core['folders.add'](target)), target).toEqual({
          name: 'PhotoseekError',
          code: 'BAD_ARGUMENT',
          message: `${target} was not chosen as a photo folder. ${NOT_CHOSEN}`,
        });
      }
      expect(listedFolders()).toEqual([]);
    });

    it('accepts the folder the folder dialog answered, once, and the core indexes it', async () => {
      recorder.pickedFolder = folder('library');
      expect(await bridge.shell['shell.pickFolder']()).toBe(folder('library'));
      expect(await bridge.core['folders.add'](folder('library'))).toMatchObject({
        path: folder('library'),
      });
      const report = await bridge.core['index.start']([folder('library')]);
      expect(report).toMatchObject({ indexed: COLOUR_LIBRARY.length, failed: 0 });
      expect(await bridge.core['library.status']()).toMatchObject({
        photos: COLOUR_LIBRARY.length,
        embedded: COLOUR_LIBRARY.length,
      });
      expect(listedFolders()).toEqual([folder('library')]);

      // The choice is used up: picking once does not open the folder for good.
      expect(await rejection(bridge.core['folders.add'](folder('library/red')))).toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining(NOT_CHOSEN) as unknown,
      });
    });

    it('accepts a folder inside the picked one, not a neighbour whose name starts alike', async () => {
      recorder.pickedFolder = folder('picked');
      await bridge.shell['shell.pickFolder']();
      expect(await rejection(bridge.core['folders.add'](folder('picked-not')))).toMatchObject({
        message: expect.stringContaining(NOT_CHOSEN) as unknown,
      });
      await bridge.core['folders.add'](folder('picked/inside'));
      expect(listedFolders()).toContain(folder('picked/inside'));
      expect(listedFolders()).not.toContain(folder('picked-not'));
    });

    it('keeps the choice when the core refuses the add, for the next try', async () => {
      recorder.pickedFolder = folder('not-yet');
      await bridge.shell['shell.pickFolder']();
      expect(await rejection(bridge.core['folders.add'](folder('not-yet')))).toMatchObject({
        code: 'FOLDER_MISSING',
      });
      await mkdir(folder('not-yet'));
      await bridge.core['folders.add'](folder('not-yet'));
      expect(listedFolders()).toContain(folder('not-yet'));
    });

    it('accepts a folder dropped on the window, as the preload’s own drop listener reports it', async () => {
      const dropped = fileOnDisk(folder('dropped'));
      expect(bridge.pathForFile(dropped)).toBe(folder('dropped'));
      drop(folderDrop([dropped]));
      expect(await bridge.core['folders.add'](folder('dropped'))).toMatchObject({
        path: folder('dropped'),
      });
      expect(listedFolders()).toContain(folder('dropped'));
    });

    it('ignores drops made by script, Files without a path and reports from other frames', async () => {
      // A DragEvent dispatched by page script is not trusted, even with a real dropped File in it.
      drop(folderDrop([fileOnDisk(folder('forged-a'))], false));
      // A File built by script has no path on disk.
      drop(folderDrop([new File([], 'etc')]));
      // The channel itself, from a frame that is not the app's renderer, or with a bad payload.
      const [listener] = recorder.ipcListeners.get(DROPPED_FOLDERS_CHANNEL)!;
      listener!({ senderFrame: { url: 'https://example.com/' } }, [folder('forged-b')]);
      listener!({ senderFrame: null }, [folder('forged-b')]);
      listener!({ senderFrame: { url: '' } }, folder('forged-b'));
      for (const target of [folder('forged-a'), folder('forged-b'), '/etc']) {
        expect(await rejection(bridge.core['folders.add'](target)), target).toMatchObject({
          code: 'BAD_ARGUMENT',
          message: expect.stringContaining(NOT_CHOSEN) as unknown,
        });
      }
      expect(listedFolders()).not.toContain(folder('forged-a'));
      expect(listedFolders()).not.toContain(folder('forged-b'));
    });

    it('models.add takes only a folder chosen as a model folder, once', async () => {
      const modelDir = folder('model-two');
      await buildSyntheticModel(modelDir, { imageOnly: true });
      // Not chosen, or chosen as photos (or dropped): refused, and nothing is loaded.
      recorder.pickedFolder = modelDir;
      await bridge.shell['shell.pickFolder']();
      drop(folderDrop([fileOnDisk(modelDir)]));
      expect(await rejection(bridge.core['models.add'](modelDir))).toMatchObject({
        code: 'BAD_ARGUMENT',
        message: `${modelDir} was not chosen as a model folder. Choose it with Add a model folder….`,
      });
      expect(await rejection(bridge.core['models.add']('/etc'))).toMatchObject({
        code: 'BAD_ARGUMENT',
      });
      expect(await bridge.shell['shell.pickFolder']('model')).toBe(modelDir);
      expect(recorder.dialogTitles.at(-1)).toBe('Add a model folder (with photoseek-model.json)');
      expect(await bridge.core['models.add'](modelDir)).toMatchObject({
        id: SYNTHETIC_IMAGE_ONLY_ID,
        textSearch: false,
      });
      expect(await rejection(bridge.core['models.add'](modelDir))).toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining('was not chosen as a model folder') as unknown,
      });
    });

    it('models.compare reads only a folder chosen as a labelled folder, for the session', async () => {
      const request = { folder: folder('library'), models: [SYNTHETIC_MODEL_ID] };
      expect(await rejection(bridge.core['models.compare'](request))).toMatchObject({
        code: 'BAD_ARGUMENT',
        message: `${folder('library')} was not chosen as a labelled folder. Choose it in Compare models.`,
      });
      recorder.pickedFolder = folder('library');
      await bridge.shell['shell.pickFolder']('labelled');
      expect(recorder.dialogTitles.at(-1)).toMatch(/^Choose a labelled folder/);
      for (let run = 0; run < 2; run++) {
        const report = await bridge.core['models.compare'](request);
        expect(report.models.map((model) => model.modelId)).toEqual([SYNTHETIC_MODEL_ID]);
      }
    });

    it('index.start with folders names library folders only', async () => {
      for (const target of ['/etc', folder('forged-a')]) {
        expect(await rejection(bridge.core['index.start']([target])), target).toMatchObject({
          code: 'NOT_FOUND',
          message: `${target} is not a library folder.`,
        });
      }
    });
  },
);
