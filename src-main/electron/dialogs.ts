import { dialog } from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import type { FolderPurpose } from '../shared/types';

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
  const options: OpenDialogOptions = {
    ...FOLDER_DIALOGS[purpose],
    properties: purpose === 'photos' ? ['openDirectory', 'createDirectory'] : ['openDirectory'],
  };
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
