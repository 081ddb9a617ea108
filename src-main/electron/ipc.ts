import { ipcMain } from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { z } from 'zod';
import { absolutePath, commandArgs, commandNames, shellArgs } from '../shared/contract';
import type {
  CommandArgs,
  CommandName,
  CommandResults,
  CoreApi,
  ShellApi,
  ShellCommandName,
} from '../shared/contract';
import { toErrorData } from '../shared/errors';
import { onlyChosenFolders } from './chosen-folders';
import { DROPPED_FOLDERS_CHANNEL, MAX_DROPPED_FOLDERS } from './dropped-folders';
import type { IpcReply } from './ipc-reply';

export interface IpcHandlersOptions {
  core: CoreApi;
  shell: ShellApi;
  /** Whether a frame is our renderer (see [Note: Trusted sender]). */
  isTrustedSender(frame: WebFrameMain | null): boolean;
}

const DroppedFolders = z.array(absolutePath).max(MAX_DROPPED_FOLDERS);

/**
 * One `ipcMain.handle` per contract command and per shell command, on the channel named like the
 * command. Each checks the sender, validates the arguments with the command's zod schema (so
 * nothing malformed reaches the core host) and answers with an IpcReply ([Note: Errors across IPC]).
 * `folders.add` takes only a folder the user chose ([Note: Folders the user chose]): one the
 * folder dialog answered, or one the preload reports dropped ([Note: Dropped folders]).
 */
export function registerIpcHandlers(options: IpcHandlersOptions): void {
  const { isTrustedSender } = options;
  const { core, shell, choose } = onlyChosenFolders(options.core, options.shell);

  function handle(
    channel: string,
    schema: z.ZodType<unknown[]>,
    run: (args: unknown[]) => Promise<unknown>,
  ): void {
    ipcMain.handle(
      channel,
      async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<IpcReply> => {
        if (!isTrustedSender(event.senderFrame)) {
          throw new Error(`Refused ${channel} from ${event.senderFrame?.url ?? 'a closed frame'}.`);
        }
        const parsed = schema.safeParse(args);
        if (!parsed.success) {
          const message = `Invalid arguments for ${channel}: ${z.prettifyError(parsed.error)}`;
          return { ok: false, error: { code: 'BAD_ARGUMENT', message } };
        }
        try {
          return { ok: true, value: await run(parsed.data) };
        } catch (error) {
          return { ok: false, error: toErrorData(error) };
        }
      },
    );
  }

  for (const command of commandNames) {
    handle(command, commandArgs[command], (args) =>
      forward(core, command, args as CommandArgs<typeof command>),
    );
  }
  for (const command of Object.keys(shellArgs) as ShellCommandName[]) {
    handle(command, shellArgs[command], (args) =>
      (shell[command] as (...args: unknown[]) => Promise<unknown>)(...args),
    );
  }
  ipcMain.on(DROPPED_FOLDERS_CHANNEL, (event: IpcMainEvent, folders: unknown) => {
    const parsed = DroppedFolders.safeParse(folders);
    if (isTrustedSender(event.senderFrame) && parsed.success) parsed.data.forEach(choose);
  });
}

function forward<K extends CommandName>(
  core: CoreApi,
  command: K,
  args: CommandArgs<K>,
): Promise<CommandResults[K]> {
  return core[command](...args);
}
