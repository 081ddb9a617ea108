import type { ErrorData } from '../shared/errors';

/**
 * [Note: Errors across IPC] `ipcMain.handle` turns a thrown error into a bare message, so main
 * answers every command with this envelope instead ([Note: Errors as data]); the preload unwraps
 * it.
 */
export type IpcReply<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorData };
