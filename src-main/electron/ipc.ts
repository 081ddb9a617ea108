import { ipcMain } from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { z } from 'zod';
import type { CoreApi, ShellApi } from '../shared/contract';
import { absolutePath, commandArgs, shellArgs, validArgs } from '../shared/contract-schemas';
import { replyOf } from '../shared/reply';
import type { Reply } from '../shared/reply';
import { onlyChosenFolders } from './chosen-folders';
import { DROPPED_FOLDERS_CHANNEL, MAX_DROPPED_FOLDERS } from './dropped-folders';

export interface IpcHandlersOptions {
  core: CoreApi;
  shell: ShellApi;
  /** Whether a frame is our renderer (see [Note: Trusted sender]). */
  isTrustedSender(frame: WebFrameMain | null): boolean;
}

type IsTrustedSender = IpcHandlersOptions['isTrustedSender'];

const DroppedFolders = z.array(absolutePath).max(MAX_DROPPED_FOLDERS);

/**
 * One `ipcMain.handle` per contract command and per shell command, on the channel named like the
 * command. Each checks the sender, validates the arguments with the command's zod schema (the one
 * place they are checked: [Note: Validated once, in main]) and answers with a Reply ([Note: Errors
 * across IPC]). `folders.add` takes only a folder the user chose ([Note: Folders the user chose]):
 * one the folder dialog answered, or one the preload reports dropped ([Note: Dropped folders]).
 */
export function registerIpcHandlers(options: IpcHandlersOptions): void {
  const { isTrustedSender } = options;
  const { core, shell, choose } = onlyChosenFolders(options.core, options.shell);
  serveOverIpc(commandArgs, core, isTrustedSender);
  serveOverIpc(shellArgs, shell, isTrustedSender);
  ipcMain.on(DROPPED_FOLDERS_CHANNEL, (event: IpcMainEvent, folders: unknown) => {
    const parsed = DroppedFolders.safeParse(folders);
    if (isTrustedSender(event.senderFrame) && parsed.success) parsed.data.forEach(choose);
  });
}

/**
 * [Note: Errors across IPC] `ipcMain.handle` turns a thrown error into a bare message, so every
 * command answers with a Reply instead ([Note: One reply envelope]); the preload unwraps it. Only
 * a call from a frame that is not ours throws: it gets no answer worth reading.
 */
function serveOverIpc<Schemas extends Record<string, z.ZodType<unknown[]>>>(
  schemas: Schemas,
  service: { readonly [K in keyof Schemas]: (...args: never) => Promise<unknown> },
  isTrustedSender: IsTrustedSender,
): void {
  for (const command of Object.keys(schemas)) {
    ipcMain.handle(
      command,
      async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Reply> => {
        if (!isTrustedSender(event.senderFrame)) {
          throw new Error(`Refused ${command} from ${event.senderFrame?.url ?? 'a closed frame'}.`);
        }
        return replyOf(() => {
          // validArgs parsed these with the schema of `command`, which types its function.
          const run = service[command] as (...args: unknown[]) => Promise<unknown>;
          return run(...validArgs(schemas, command, args));
        });
      },
    );
  }
}
