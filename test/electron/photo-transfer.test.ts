import { execFileSync } from 'node:child_process';
import {
  copyFile,
  mkdtemp,
  readFile,
  rename,
  rm,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../src-main/core';
import { createCore } from '../../src-main/core';
import { createCoreClient } from '../../src-main/core/rpc/host-api';
import type { CoreClient } from '../../src-main/core/rpc/host-api';
import { coreHandlers } from '../../src-main/core/rpc/core-handlers';
import { serve } from '../../src-main/core/rpc/server';
import type { Server } from '../../src-main/core/rpc/server';
import { nodePortTransport } from '../../src-main/core/rpc/transport';
import { registerIpcHandlers } from '../../src-main/electron/ipc';
import type { BrowserWindow as ElectronWindow } from 'electron';
import type { Reply } from '../../src-main/shared/reply';
import { createShellActions } from '../../src-main/electron/shell-actions';
import type { SearchHit } from '../../src-main/shared/types';
import { writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';
import { updateCheckOff } from './update-check-off';
import { BrowserWindow, recorder } from './stub-electron';

vi.mock('electron', async () => await import('./stub-electron'));

const RENDERER = { senderFrame: { url: 'app://photoseek/index.html' } };

/**
 * The shell commands that hand photos to other apps ([Note: Photos leave by id]) and Choose
 * image… ([Note: Chosen images]), through main's IPC handlers (sender check, zod) with the
 * recording stub electron, over the real RPC to a real core on an indexed library with a copy of
 * one photo, a WebP, and photos swapped behind the index's back.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS) || process.platform === 'win32')(
  'electron glue: drag out, copy path, copy image, choose image',
  () => {
    let work: string;
    let core: Core;
    let server: Server;
    let client: CoreClient;
    const file = (relative: string): string => path.join(work, 'library', relative);
    const idOf = (relative: string): number => {
      const photoId = core.photoIdForFile(file(relative));
      if (photoId === null) throw new Error(`${relative} is not indexed`);
      return photoId;
    };
    const invoke = async (channel: string, ...args: unknown[]): Promise<Reply> =>
      (await recorder.ipcHandlers.get(channel)!(RENDERER, ...args)) as Reply;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-photo-transfer-'));
      await writeColourLibrary(path.join(work, 'library'));
      // The same photo twice (one photo, two files), a WebP nativeImage cannot decode everywhere.
      await copyFile(file('red/r1.jpg'), file('red/r1 copy.jpg'));
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#e0c020' } })
        .webp()
        .toFile(file('yellow.webp'));
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(path.join(work, 'library'));
      await core.index();
      const { port1, port2 } = new MessageChannel();
      server = serve(nodePortTransport(port1), coreHandlers(core));
      client = createCoreClient(nodePortTransport(port2));
      const window = new BrowserWindow({});
      registerIpcHandlers({
        core: client,
        shell: createShellActions(
          () => window as unknown as ElectronWindow,
          client,
          updateCheckOff(work),
        ),
        isTrustedSender: (frame) => frame?.url.startsWith('app://') ?? false,
      });
    });

    beforeEach(() => {
      recorder.clipboard.length = 0;
      recorder.drags.length = 0;
    });

    afterAll(async () => {
      client?.dispose();
      server?.dispose();
      await core?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('drags the photo’s library file out, with its thumbnail as the picture', async () => {
      const photoId = idOf('green/g3.jpg');
      expect(await invoke('shell.startDrag', photoId)).toEqual({ ok: true, value: undefined });
      expect(recorder.drags).toHaveLength(1);
      const [drag] = recorder.drags;
      expect(drag!.file).toBe(file('green/g3.jpg'));
      expect(drag!.icon.path).toBe(core.thumbnailPath(photoId));
      expect(drag!.icon.isEmpty()).toBe(false);
    });

    it('copies the path of the photo’s file, and of its other copy once the first is swapped', async () => {
      expect(await invoke('shell.copyPath', idOf('blue/nested/b2.png'))).toMatchObject({
        ok: true,
      });
      const copies = core.photoIdForFile(file('red/r1 copy.jpg'));
      expect(copies).toBe(idOf('red/r1.jpg'));
      expect(await invoke('shell.copyPath', copies)).toMatchObject({ ok: true });
      const [first, second] = recorder.clipboard as { text: string }[];
      expect(first).toEqual({ text: file('blue/nested/b2.png') });
      expect([file('red/r1.jpg'), file('red/r1 copy.jpg')]).toContain(second!.text);

      // The copied file becomes a symlink to /etc/passwd: the photo's other file is copied.
      await symlink('/etc/passwd', `${second!.text}.swap`);
      await rename(`${second!.text}.swap`, second!.text);
      expect(await invoke('shell.copyPath', copies)).toMatchObject({ ok: true });
      const other = [file('red/r1.jpg'), file('red/r1 copy.jpg')].find((p) => p !== second!.text);
      expect(recorder.clipboard.at(-1)).toEqual({ text: other });
    });

    it('copies the image of a JPEG and a PNG as PNG, read from the library file', async () => {
      expect(await invoke('shell.copyImage', idOf('green/g1.jpg'))).toMatchObject({ ok: true });
      expect(await invoke('shell.copyImage', idOf('blue/nested/b1.png'))).toMatchObject({
        ok: true,
      });
      const [jpeg, png] = recorder.clipboard as { png: Buffer }[];
      // The stub's toPNG keeps the decoded file's bytes: the JPEG's behind a PNG signature.
      expect(jpeg!.png.subarray(4).equals(await readFile(file('green/g1.jpg')))).toBe(true);
      expect(png!.png.equals(await readFile(file('blue/nested/b1.png')))).toBe(true);
    });

    it('refuses, with one line and nothing sent, ids the library does not know and swapped files', async () => {
      const swapped = idOf('green/g2.jpg');
      await rm(file('green/g2.jpg'));
      execFileSync('mkfifo', [file('green/g2.jpg')]);
      for (const channel of ['shell.startDrag', 'shell.copyPath', 'shell.copyImage']) {
        for (const photoId of [999_999, swapped]) {
          const reply = await invoke(channel, photoId);
          expect(reply, `${channel} ${photoId}`).toMatchObject({
            ok: false,
            error: { code: 'NOT_FOUND' },
          });
          expect(reply.ok ? '' : reply.error.message).toMatch(
            /^Photo \d+ has no file in the library/,
          );
        }
      }
      expect(recorder.clipboard).toEqual([]);
      expect(recorder.drags).toEqual([]);
    });

    it('refuses to copy an image it cannot decode, and says to copy the path instead', async () => {
      const reply = await invoke('shell.copyImage', idOf('yellow.webp'));
      expect(reply).toEqual({
        ok: false,
        error: {
          code: 'BAD_ARGUMENT',
          message: `${file('yellow.webp')} cannot be copied as an image (WEBP). Use Copy path instead.`,
        },
      });
      expect(recorder.clipboard).toEqual([]);
    });

    it('validates the id before the core sees it, and refuses other frames', async () => {
      for (const bad of ['/etc/passwd', -1, 1.5, 0, undefined]) {
        for (const channel of ['shell.startDrag', 'shell.copyPath', 'shell.copyImage']) {
          expect(await invoke(channel, bad), `${channel} ${String(bad)}`).toMatchObject({
            ok: false,
            error: { code: 'BAD_ARGUMENT' },
          });
        }
      }
      const copyPath = recorder.ipcHandlers.get('shell.copyPath')!;
      await expect(
        Promise.resolve(
          copyPath({ senderFrame: { url: 'https://example.com/' } }, idOf('red/r2.jpg')),
        ),
      ).rejects.toThrow('Refused shell.copyPath');
      expect(recorder.clipboard).toEqual([]);
    });

    it('Choose image… reads the chosen file in main, and its bytes find photos like it', async () => {
      const chosen = path.join(work, 'chosen blue.png');
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#1428e6' } })
        .png()
        .toFile(chosen);
      recorder.chosenFile = chosen;
      const reply = await invoke('shell.chooseImage');
      expect(recorder.openDialogs.at(-1)).toMatchObject({ properties: ['openFile'] });
      if (!reply.ok) throw new Error(reply.error.message);
      const image = reply.value as { bytes: Uint8Array; name: string };
      expect(image.name).toBe('chosen blue.png');
      expect(Buffer.from(image.bytes).equals(await readFile(chosen))).toBe(true);

      const search = await invoke('search.imageBytes', image.bytes, { limit: 3 });
      if (!search.ok) throw new Error(search.error.message);
      const paths = (search.value as SearchHit[]).map((hit) => hit.path);
      expect(paths.every((hit) => hit.startsWith(file('blue/nested/')))).toBe(true);
    });

    it('Choose image… answers null when cancelled, and refuses a FIFO and a file over 64 MB', async () => {
      recorder.chosenFile = null;
      expect(await invoke('shell.chooseImage')).toEqual({ ok: true, value: null });

      const fifo = path.join(work, 'pipe.png');
      execFileSync('mkfifo', [fifo]);
      recorder.chosenFile = fifo;
      expect(await invoke('shell.chooseImage')).toEqual({
        ok: false,
        error: { code: 'BAD_ARGUMENT', message: 'pipe.png is not a file.' },
      });

      const huge = path.join(work, 'huge.jpg');
      await writeFile(huge, Buffer.from([0xff, 0xd8, 0xff]));
      await truncate(huge, 64 * 1024 * 1024 + 1);
      recorder.chosenFile = huge;
      expect(await invoke('shell.chooseImage')).toEqual({
        ok: false,
        error: {
          code: 'BAD_ARGUMENT',
          message: 'huge.jpg is larger than 64 MB, the most that can be searched.',
        },
      });
    });
  },
);
