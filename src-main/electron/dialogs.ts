import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { dialog } from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import { PhotoseekError } from '../shared/errors';
import type { FolderPurpose } from '../shared/types';
import { IMAGE_FILE_EXTENSIONS, MAX_IMAGE_FILE_BYTES } from './image-types';

const FOLDER_DIALOGS: Record<FolderPurpose, Pick<OpenDialogOptions, 'title' | 'buttonLabel'>> = {
  photos: { title: 'Add a photo folder', buttonLabel: 'Add folder' },
  model: { title: 'Add a model folder (with photoseek-model.json)', buttonLabel: 'Add model' },
  labelled: {
    title: 'Choose a labelled folder: one subfolder of photos per category',
    buttonLabel: 'Choose folder',
  },
};

/** Asks for a folder, titled for what it is for; null when the user cancels. */
export async function pickFolder(
  parent: BrowserWindow | null,
  purpose: FolderPurpose,
): Promise<string | null> {
  return showOpenDialog(parent, {
    ...FOLDER_DIALOGS[purpose],
    properties: purpose === 'photos' ? ['openDirectory', 'createDirectory'] : ['openDirectory'],
  });
}

/**
 * [Note: Chosen images] Choose image… is the keyboard's (and anyone's) way to search by an image
 * file, besides a drop. Main shows the open dialog and reads the chosen file itself, so the
 * renderer never names a path to read ([Note: No file reads on the renderer's word]): it gets the
 * bytes and runs the same `search.imageBytes` as a drop. The file is read through one descriptor,
 * only when it is a regular file of at most MAX_IMAGE_FILE_BYTES (the limit of a drop); the core
 * sniffs the format from the bytes as it does for a drop. Null when the user cancels.
 */
export async function chooseImage(
  parent: BrowserWindow | null,
): Promise<{ bytes: Uint8Array; name: string } | null> {
  const chosen = await showOpenDialog(parent, {
    title: 'Find photos like an image',
    buttonLabel: 'Find similar',
    properties: ['openFile'],
    filters: [{ name: 'Images', extensions: [...IMAGE_FILE_EXTENSIONS] }],
  });
  if (chosen === null) return null;
  const name = path.basename(chosen);
  // O_NONBLOCK: a FIFO chosen in the dialog does not block the open (it is refused below).
  const handle = await open(chosen, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(
    (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new PhotoseekError('NOT_FOUND', `Could not read ${name} (${code}).`);
    },
  );
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new PhotoseekError('BAD_ARGUMENT', `${name} is not a file.`);
    if (info.size > MAX_IMAGE_FILE_BYTES) {
      const megabytes = Math.round(MAX_IMAGE_FILE_BYTES / (1024 * 1024));
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `${name} is larger than ${megabytes} MB, the most that can be searched.`,
      );
    }
    return { bytes: new Uint8Array(await handle.readFile()), name };
  } finally {
    await handle.close();
  }
}

async function showOpenDialog(
  parent: BrowserWindow | null,
  options: OpenDialogOptions,
): Promise<string | null> {
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
