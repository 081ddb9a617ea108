import path from 'node:path';
import type { CoreApi, ShellApi } from '../shared/contract';
import { PhotoseekError } from '../shared/errors';

/**
 * [Note: Folders the user chose] A library folder is the one place where the core reads files
 * because the renderer named them: every image under it is read, hashed and shown. So a
 * compromised renderer must not add `/` or `/etc`; main accepts `folders.add` only for a folder
 * the user chose in this session, either
 * - the answer of the folder dialog (`shell.pickFolder`), which main itself shows, or
 * - a folder dropped on the window, as the preload reports it ([Note: Dropped folders]).
 * Each choice is good for one `folders.add`, of that folder or of a folder inside it; an add that
 * the core refuses (not a folder, library busy) leaves the choice for another try. Choices live in
 * main's memory only and end with the app. The scanner follows symlinks under a folder, so a
 * subfolder that is a link reaches no further than adding the chosen folder would.
 * The other commands that name folders need no choice: `index.start` indexes library folders only
 * (the core refuses any other folder as "not a library folder"), `folders.remove` only forgets,
 * `failures.retry` takes a listed failure, and the search filters only narrow the results.
 */
export interface ChosenFolders {
  /** The core, with `folders.add` refused for a folder the user did not choose. */
  core: CoreApi;
  /** The shell, whose folder dialog records the folder chosen. */
  shell: ShellApi;
  /** Records a folder the user dropped on the window. */
  choose(folder: string): void;
}

export function onlyChosenFolders(core: CoreApi, shell: ShellApi): ChosenFolders {
  const chosen = new Set<string>();

  /** Takes the choice that covers `folder` (it or a folder above it) out of the set. */
  function take(folder: string): string | undefined {
    const choice = [...chosen].find((candidate) => isSameOrInside(folder, candidate));
    if (choice !== undefined) chosen.delete(choice);
    return choice;
  }

  return {
    core: {
      ...core,
      'folders.add': async (folder) => {
        const choice = take(folder);
        if (choice === undefined) throw notChosen(folder);
        try {
          return await core['folders.add'](folder);
        } catch (error) {
          chosen.add(choice);
          throw error;
        }
      },
    },
    shell: {
      ...shell,
      'shell.pickFolder': async () => {
        const folder = await shell['shell.pickFolder']();
        if (folder !== null) chosen.add(folder);
        return folder;
      },
    },
    choose: (folder) => void chosen.add(folder),
  };
}

function isSameOrInside(folder: string, choice: string): boolean {
  const prefix = choice.endsWith(path.sep) ? choice : choice + path.sep;
  return folder === choice || folder.startsWith(prefix);
}

function notChosen(folder: string): PhotoseekError {
  return new PhotoseekError(
    'BAD_ARGUMENT',
    `${folder} was not chosen as a photo folder. ` +
      'Choose the folder with Add folder… or drop it on the window.',
  );
}
