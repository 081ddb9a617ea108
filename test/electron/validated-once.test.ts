import { beforeAll, describe, expect, it, vi } from 'vitest';
import { proxyOf } from '../../src-main/shared/command';
import { commandNames, shellCommandNames } from '../../src-main/shared/contract';
import type { CoreApi, PhotoseekBridge, ShellApi } from '../../src-main/shared/contract';
import { registerIpcHandlers } from '../../src-main/electron/ipc';
import { recorder, stubWindow } from './stub-electron';

vi.mock('electron', async () => await import('./stub-electron'));

/**
 * [Note: Validated once, in main] The renderer's way in, through the preload's bridge to main's
 * IPC handlers (stub electron), with a core and a shell that only record what reaches them: a
 * call main refuses never reaches them, and one it accepts arrives with the arguments as sent.
 * (The real core behind the same handlers: file-boundary.test.ts and chosen-folders.test.ts.)
 */
describe('electron glue: main checks every argument, once, before the core sees it', () => {
  const reached: { command: string; args: unknown[] }[] = [];
  let bridge: PhotoseekBridge;

  beforeAll(async () => {
    const record = (command: string, args: unknown[]): Promise<unknown> => {
      reached.push({ command, args });
      return Promise.resolve(null);
    };
    registerIpcHandlers({
      core: proxyOf<CoreApi>(commandNames, record),
      shell: proxyOf<ShellApi>(shellCommandNames, record),
      isTrustedSender: (frame) => frame !== null && !frame.url.startsWith('https:'),
    });
    (globalThis as { window?: unknown }).window = stubWindow();
    await import('../../src-main/electron/preload');
    bridge = recorder.exposedInMainWorld.get('photoseek') as PhotoseekBridge;
  });

  async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
    return call.then(
      () => {
        throw new Error('expected main to refuse the call');
      },
      (error: { code: string; message: string }) => error,
    );
  }

  it('refuses malformed arguments with BAD_ARGUMENT and a message naming the command', async () => {
    const untyped = (command: keyof CoreApi) =>
      bridge.core[command] as (...args: unknown[]) => Promise<unknown>;
    const cases: [keyof CoreApi, unknown[], RegExp][] = [
      ['search.text', ['', {}], /too small|at least 1/i],
      ['search.text', ['red', { colour: 'red' }], /colour/],
      ['search.text', ['red'], /expected array to have >=2 items|expected object/i],
      ['search.text', ['red', { limit: 0 }], /limit/],
      ['search.similar', [1.5, {}], /int|number/i],
      ['photos.get', [-1], /too small|positive|>0/i],
      ['folders.add', ['relative/x'], /relative path/],
      ['photos.timeline', [{ offset: 0, limit: 5000 }], /limit/],
    ];
    for (const [command, args, detail] of cases) {
      const error = await refusal(untyped(command)(...args));
      const label = `${command} ${JSON.stringify(args)}`;
      expect(error.code, label).toBe('BAD_ARGUMENT');
      expect(error.message, label).toMatch(new RegExp(`^Invalid arguments for ${command}: `));
      expect(error.message, label).toMatch(detail);
    }
    const shellError = await refusal(
      (bridge.shell['shell.openPath'] as (...args: unknown[]) => Promise<unknown>)('IMG_1.jpg'),
    );
    expect(shellError).toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(reached).toEqual([]);
  });

  it('hands a valid call on with the arguments as sent', async () => {
    reached.length = 0;
    await bridge.core['search.text']('red -blue', { limit: 5, hasLocation: true });
    await bridge.core['index.start']();
    await bridge.shell['shell.copyPath'](42);
    expect(reached).toEqual([
      { command: 'search.text', args: ['red -blue', { limit: 5, hasLocation: true }] },
      { command: 'index.start', args: [] },
      { command: 'shell.copyPath', args: [42] },
    ]);
  });

  it('takes an optional field set to undefined for an absent one ([Note: Undefined is absent])', async () => {
    reached.length = 0;
    const untyped = bridge.core['search.text'] as (...args: unknown[]) => Promise<unknown>;
    await untyped('red', { limit: undefined, hasLocation: undefined });
    const clusters = bridge.core['explore.clusters'] as (...args: unknown[]) => Promise<unknown>;
    await clusters({ level: undefined });
    // toStrictEqual, unlike toEqual, tells a key set to undefined from an absent one.
    expect(reached).toStrictEqual([
      { command: 'search.text', args: ['red', {}] },
      { command: 'explore.clusters', args: [{}] },
    ]);
  });

  it('answers no frame but ours', async () => {
    const handler = recorder.ipcHandlers.get('library.status')!;
    await expect(
      Promise.resolve().then(() => handler({ senderFrame: { url: 'https://example.com/' } })),
    ).rejects.toThrow(/Refused library\.status from https:\/\/example\.com/);
    await expect(Promise.resolve().then(() => handler({ senderFrame: null }))).rejects.toThrow(
      /a closed frame/,
    );
  });
});
