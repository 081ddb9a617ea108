import type { FailureStage } from '../../shared/types';

/**
 * [Note: Media failures] Every way a file can fail to become a photo is a MediaError with a
 * stable `code`, the pipeline `stage` it failed in and whether trying again later could help.
 * The library layer turns these into `failures` rows (path, stage, code, message) and the UI shows
 * the message as is, so messages are written for people: what is wrong with the file, not which
 * libvips function complained. A MediaError never escapes as a crash or stops the queue.
 *
 * `transient` is true only for I/O problems that can go away on their own (a busy network share,
 * a file being written, a disk hiccup); a corrupt or unsupported file fails the same way every
 * time, so retrying it is pointless until the file itself changes (new size or mtime).
 */
export type MediaErrorCode =
  /** The path does not exist (any more). */
  | 'NOT_FOUND'
  /** A directory, socket, device … where a file was expected. */
  | 'NOT_A_FILE'
  /** The operating system refused to open the file. */
  | 'PERMISSION_DENIED'
  /** Reading failed for another reason (I/O error, network share gone, file locked). */
  | 'READ_FAILED'
  /** Zero bytes. */
  | 'EMPTY_FILE'
  /** Larger than the configured byte limit; not read at all. */
  | 'FILE_TOO_LARGE'
  /** The content is not an image format Photoseek reads (checked by magic bytes, not by name). */
  | 'UNSUPPORTED_FORMAT'
  /** The header announces more pixels than the configured limit (pixel bombs, giant scans). */
  | 'TOO_MANY_PIXELS'
  /** The content is an image format we read, but its data is damaged or cut short. */
  | 'CORRUPT';

export class MediaError extends Error {
  readonly code: MediaErrorCode;
  readonly stage: Extract<FailureStage, 'read' | 'decode'>;
  readonly transient: boolean;

  constructor(
    code: MediaErrorCode,
    stage: 'read' | 'decode',
    message: string,
    options?: { cause?: unknown; transient?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MediaError';
    this.code = code;
    this.stage = stage;
    this.transient = options?.transient ?? false;
  }
}

export function isMediaError(error: unknown): error is MediaError {
  return error instanceof MediaError;
}

/**
 * Whether retrying cannot help until the file itself changes (new size or mtime): everything but
 * transient I/O trouble. NOT_FOUND counts as permanent; callers usually treat it as "deleted".
 */
export function isPermanentMediaError(error: MediaError): boolean {
  return !error.transient;
}

/** The AbortError every media function throws when its signal fires (see shared/errors toErrorData). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'AbortError') throw reason;
    throw new DOMException('The operation was aborted.', 'AbortError');
  }
}

/** Maps a Node fs error (ENOENT, EACCES …) to a read-stage MediaError. */
export function fsErrorToMediaError(error: unknown, filePath: string): MediaError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new MediaError('NOT_FOUND', 'read', `The file no longer exists: ${filePath}`, {
        cause: error,
      });
    case 'EISDIR':
      return new MediaError('NOT_A_FILE', 'read', `This is a folder, not a file: ${filePath}`, {
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new MediaError(
        'PERMISSION_DENIED',
        'read',
        `Photoseek is not allowed to read this file: ${filePath}`,
        {
          cause: error,
        },
      );
    case 'ELOOP':
      return new MediaError(
        'NOT_FOUND',
        'read',
        `The link points in a circle and leads to no file: ${filePath}`,
        {
          cause: error,
        },
      );
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return new MediaError(
        'READ_FAILED',
        'read',
        `The file could not be read (${detail}): ${filePath}`,
        {
          cause: error,
          transient: true,
        },
      );
    }
  }
}
