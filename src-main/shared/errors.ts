/**
 * [Note: Errors as data] Every failure that crosses a boundary (core → CLI, RPC → renderer) is a
 * PhotoseekError with a stable machine code and a message a person understands. Transports carry
 * `{ code, message }`; nothing depends on stack traces or `instanceof` across processes.
 */
export type ErrorCode =
  | 'BAD_ARGUMENT'
  | 'NOT_FOUND'
  | 'FOLDER_MISSING'
  | 'MODEL_MISSING'
  | 'MODEL_INVALID'
  /** A text query (or zero-shot) with an image-only model. */
  | 'NO_TEXT_TOWER'
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'OFFLINE'
  | 'DATABASE'
  | 'DISK_FULL'
  | 'LIBRARY_BUSY'
  | 'CANCELLED'
  | 'INTERNAL';

export class PhotoseekError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PhotoseekError';
    this.code = code;
  }
}

export interface ErrorData {
  code: ErrorCode;
  message: string;
}

export function toErrorData(error: unknown): ErrorData {
  if (error instanceof PhotoseekError) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'CANCELLED', message: 'The operation was cancelled.' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
