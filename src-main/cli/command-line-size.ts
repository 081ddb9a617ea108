import { readFileSync } from 'node:fs';
import { PhotoseekError } from '../shared/errors';

/**
 * [Note: Command-line size] On Linux, onnxruntime reads /proc/self/cmdline while it initialises
 * (creating its Ort::Env for the first model session) and recurses over it: gdb shows ~87,000
 * frames of three alternating functions inside libonnxruntime.so, about 290 bytes of stack per
 * byte of command line. With the usual 8 MiB stack (`ulimit -s 8192`) a command line of
 * about 28.9 KB overflowed the stack: exit 139, no message, whatever the text was (a query, a
 * long --folder, many folders to index; measured with onnxruntime-node 1.30.0, and the same
 * 28.9 KB in a bare script that only creates a session, so it is not the tokenizer or the text
 * tower). With a 4 MiB stack it crashed at 14.4 KB. The environment is not read, only argv.
 *
 * No Photoseek command needs such a command line (folders are indexed with their subfolders, a
 * query is at most 1,000 characters: [Note: Query length]), so the CLI refuses anything over
 * 12 KiB before a model loads: below the crash point even with a 4 MiB stack. macOS and Windows
 * have no /proc/self/cmdline and are not affected.
 */
export const MAX_COMMAND_LINE_BYTES = 12 * 1024;

/** Throws BAD_ARGUMENT when the process's command line is too long for onnxruntime. */
export function assertCommandLineFits(cmdlineFile = '/proc/self/cmdline'): void {
  let bytes: number;
  try {
    bytes = readFileSync(cmdlineFile).length;
  } catch {
    return; // not Linux: nothing reads it
  }
  if (bytes <= MAX_COMMAND_LINE_BYTES) return;
  throw new PhotoseekError(
    'BAD_ARGUMENT',
    `The command line is ${(bytes / 1024).toFixed(1)} KiB; Photoseek takes at most ${MAX_COMMAND_LINE_BYTES / 1024} KiB ` +
      '(the model runtime crashes on longer ones). Give the parent folder instead of many subfolders ' +
      '(subfolders are included), or run the command several times with fewer arguments.',
  );
}
