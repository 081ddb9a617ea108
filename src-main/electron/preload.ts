import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { proxyOf } from '../shared/command';
import { commandNames, eventNames, shellCommandNames } from '../shared/contract';
import type { CoreApi, EventName, PhotoseekBridge, ShellApi } from '../shared/contract';
import type { Reply } from '../shared/reply';
import { DROPPED_FOLDERS_CHANNEL, droppedFolderPaths } from './dropped-folders';
import type { FolderDropEvent } from './dropped-folders';
import { photoUrl, thumbnailUrl } from './photo-urls';

/** The page's window, as far as the preload uses it (the Electron code has no DOM types). */
declare const window: {
  addEventListener(type: 'drop', listener: (event: FolderDropEvent) => void, capture: true): void;
};

/**
 * The preload: puts `window.photoseek` (a PhotoseekBridge) into the sandboxed renderer. One
 * function per contract command, each invoking the IPC channel of the same name, and nothing
 * else: no ipcRenderer, no Node, no generic "send". It checks no argument: main does, once
 * ([Note: Validated once, in main]), so the preload loads the zod-free contract only.
 * `pathForFile` tells the page where a dropped folder is, so it can offer to add it; main accepts
 * that folder only because the preload's own drop listener reported it ([Note: Dropped folders]).
 *
 * [Note: Errors across the context bridge] The bridge copies only the message of an Error, so a
 * PhotoseekError would arrive without its code. A failed command therefore rejects with a plain
 * `{ name: 'PhotoseekError', code, message }` object, which the bridge copies whole (the
 * renderer reads `code` and `message`, see src-renderer/src/api.ts).
 */
async function invoke(channel: string, args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as Reply;
  if (reply.ok) return reply.value;
  return Promise.reject({
    name: 'PhotoseekError',
    code: reply.error.code,
    message: reply.error.message,
  });
}

const bridge: PhotoseekBridge = {
  core: proxyOf<CoreApi>(commandNames, invoke),
  shell: proxyOf<ShellApi>(shellCommandNames, invoke),
  on(event, listener) {
    if (!eventNames.includes(event as EventName))
      throw new Error(`Unknown event "${String(event)}".`);
    // The renderer gets the payload only, never the IPC event (which carries the sender).
    const forward = (_event: unknown, payload: unknown): void =>
      listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(event, forward);
    return () => void ipcRenderer.removeListener(event, forward);
  },
  thumbnailUrl,
  photoUrl,
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('photoseek', bridge);

window.addEventListener(
  'drop',
  (event) => {
    const folders = droppedFolderPaths(event, (file) => webUtils.getPathForFile(file));
    if (folders.length > 0) ipcRenderer.send(DROPPED_FOLDERS_CHANNEL, folders);
  },
  true,
);
