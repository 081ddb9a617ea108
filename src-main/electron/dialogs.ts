import { dialog } from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';

/** Asks for a photo folder; null when the user cancels. */
export async function pickFolder(parent: BrowserWindow | null): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Add a photo folder',
    buttonLabel: 'Add folder',
    properties: ['openDirectory', 'createDirectory'],
  };
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
