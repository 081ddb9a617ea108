import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
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
import { registerIpcHandlers } from '../../src-main/electron/ipc';
import type { Reply } from '../../src-main/shared/reply';
import { servePhotoProtocols } from '../../src-main/electron/protocol';
import { createShellActions } from '../../src-main/electron/shell-actions';
import type { ShellApi } from '../../src-main/shared/contract';
import { writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';
import { updateCheckOff } from './update-check-off';
import { recorder } from './stub-electron';

vi.mock('electron', async () => await import('./stub-electron'));

/**
 * The security boundary of the Electron glue ([Note: Verified files], [Note: Paths across the
 * boundary]): protocol.ts, shell-actions.ts and ipc.ts with the recording stub electron, over
 * the real RPC to a real core on an indexed library whose files are then swapped behind its back.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS) || process.platform === 'win32')(
  'electron glue: photo:// and the shell serve only the files indexed',
  () => {
    let work: string;
    let core: Core;
    let server: Server;
    let client: CoreClient;
    let shell: ShellApi;
    const file = (relative: string): string => path.join(work, 'library', relative);
    const fetchPhoto = (relative: string): Promise<Response> =>
      recorder.protocolHandlers.get('photo')!(
        new Request(`photo://local/${core.photoIdForFile(file(relative))}`),
      ) as Promise<Response>;
    const rejection = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => 'answered',
        (error: unknown) => error,
      );

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-glue-boundary-'));
      await writeColourLibrary(path.join(work, 'library'));
      await writeFile(file('broken.jpg'), 'this is text, not a JPEG');
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(path.join(work, 'library'));
      await core.index();
      const { port1, port2 } = new MessageChannel();
      server = serve(nodePortTransport(port1), coreHandlers(core));
      client = createCoreClient(nodePortTransport(port2));
      servePhotoProtocols(client);
      shell = createShellActions(() => null, client, updateCheckOff(work));
      registerIpcHandlers({ core: client, shell, isTrustedSender: () => true });

      // Behind the index's back: one photo becomes a symlink to /etc/passwd, one a FIFO.
      await symlink('/etc/passwd', `${file('green/g1.jpg')}.swap`);
      await rename(`${file('green/g1.jpg')}.swap`, file('green/g1.jpg'));
      await rm(file('green/g2.jpg'));
      execFileSync('mkfifo', [file('green/g2.jpg')]);
    });

    afterAll(async () => {
      client?.dispose();
      server?.dispose();
      await core?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('photo:// answers 200 with the real bytes of an untouched photo', async () => {
      const response = await fetchPhoto('red/r2.jpg');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.equals(await readFile(file('red/r2.jpg')))).toBe(true);
      expect(response.headers.get('content-length')).toBe(String(bytes.length));
      expect((await fetchPhoto('blue/nested/b1.png')).headers.get('content-type')).toBe(
        'image/png',
      );
    });

    it('photo:// answers 404 for a photo swapped for a symlink to /etc/passwd', async () => {
      const response = await fetchPhoto('green/g1.jpg');
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('');
    });

    it('photo:// answers 404 for a photo swapped for a FIFO, without blocking', async () => {
      expect((await fetchPhoto('green/g2.jpg')).status).toBe(404);
    });

    it('shell.openPath opens an untouched photo and refuses the symlink and the FIFO', async () => {
      await shell['shell.openPath'](file('red/r2.jpg'));
      for (const swapped of [file('green/g1.jpg'), file('green/g2.jpg'), '/etc/passwd']) {
        expect(await rejection(shell['shell.openPath'](swapped)), swapped).toMatchObject({
          code: 'BAD_ARGUMENT',
          message: expect.stringContaining('changed since it was indexed') as unknown,
        });
      }
      expect(await rejection(shell['shell.openPath'](file('broken.jpg')))).toMatchObject({
        code: 'BAD_ARGUMENT',
      });
      expect(recorder.openedPaths).toEqual([file('red/r2.jpg')]);
    });

    it('shell.trash moves an untouched photo to the trash, and nothing else', async () => {
      for (const refused of [
        file('green/g1.jpg'),
        file('green/g2.jpg'),
        file('broken.jpg'),
        file('red'),
        '/etc/passwd',
      ]) {
        expect(await rejection(shell['shell.trash'](refused)), refused).toMatchObject({
          code: 'BAD_ARGUMENT',
        });
      }
      await shell['shell.trash'](file('red/r2.jpg'));
      expect(recorder.trashed).toEqual([file('red/r2.jpg')]);
    });

    it('shell.showInFolder reveals an untouched photo or a listed failure, not the symlink', async () => {
      await shell['shell.showInFolder'](file('red/r2.jpg'));
      await shell['shell.showInFolder'](file('broken.jpg'));
      for (const refused of [file('green/g1.jpg'), file('red'), path.join(work, 'data')]) {
        expect(await rejection(shell['shell.showInFolder'](refused)), refused).toMatchObject({
          code: 'BAD_ARGUMENT',
        });
      }
      expect(recorder.shownInFolder).toEqual([file('red/r2.jpg'), file('broken.jpg')]);
    });

    it('main refuses relative and unplain paths with a clear message before the core sees them', async () => {
      const add = recorder.ipcHandlers.get('folders.add')!;
      const frame = { senderFrame: { url: 'app://renderer' } };
      const cases = {
        '.': '"." is a relative path.',
        'relative/x': '"relative/x" is a relative path.',
        '/a/../b': '"/a/../b" is not a plain path.',
      };
      for (const [value, expected] of Object.entries(cases)) {
        const reply = (await add(frame, value)) as Reply;
        expect(reply, value).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
        expect(reply.ok ? '' : reply.error.message, value).toContain(expected);
      }
      expect(core.listFolders()).toHaveLength(1);
      // A plain path passes, once the user chose it ([Note: Folders the user chose]).
      recorder.pickedFolder = path.join(work, 'library');
      await recorder.ipcHandlers.get('shell.pickFolder')!(frame);
      const good = (await add(frame, path.join(work, 'library'))) as Reply;
      expect(good).toMatchObject({ ok: true, value: { path: path.join(work, 'library') } });
    });

    it('offers the renderer no command that reads an image file it names', () => {
      expect(recorder.ipcHandlers.has('search.imageFile')).toBe(false);
      expect(recorder.ipcHandlers.has('search.imageBytes')).toBe(true);
    });
  },
);
