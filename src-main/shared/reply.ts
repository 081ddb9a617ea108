import { toErrorData } from './errors';
import type { ErrorData } from './errors';

/**
 * [Note: One reply envelope] A command's answer as data, over every boundary that cannot carry a
 * thrown PhotoseekError ([Note: Errors as data]): the RPC to the core host (with the call's id,
 * [Note: RPC wire format]) and Electron's IPC, whose `ipcMain.handle` would turn a thrown error
 * into a bare message ([Note: Errors across IPC]).
 */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorData };

/** Runs `work` and answers with its value or its error, never throwing. */
export async function replyOf<T>(work: () => T | Promise<T>): Promise<Reply<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}
