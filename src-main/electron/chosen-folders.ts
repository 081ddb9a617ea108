import path from 'node:path';
import type { CoreApi, ShellApi } from '../shared/contract';
import { PhotoseekError } from '../shared/errors';
import type { FolderPurpose } from '../shared/types';

/**
 * [Note: Folders the user chose] Three commands make the core read files in a folder because the
 * renderer named it: `folders.add` (every image under a library folder is read, hashed and
 * shown), `models.add` (the core loads the ONNX graphs a model folder holds) and `models.compare`
 * (every image under a labelled folder is read and embedded). So a compromised renderer must not
 * add `/` or `/etc`, load a graph from a Downloads folder or read a home folder: main accepts
 * each only for a folder the user chose in this session *for that purpose*, either
 * - the answer of the folder dialog (`shell.pickFolder(purpose)`), which main itself shows, titled
 *   for the purpose, or
 * - for photos only, a folder dropped on the window, as the preload reports it ([Note: Dropped
 *   folders]).
 * A choice covers that folder and the folders inside it. A photo or model folder is good for one
 * add; an add that the core refuses (not a folder, not a model, library busy) leaves the choice for
 * another try. A labelled folder stays chosen for the session: comparing again, with other models,
 * reads nothing the first comparison did not. Choices live in main's memory only and end with the
 * app. The scanner follows symlinks under a folder, so a subfolder that is a link reaches no
 * further than adding the chosen folder would.
 * The other commands that name folders need no choice: `index.start` indexes library folders only
 * (the core refuses any other folder as "not a library folder"), `folders.remove` only forgets,
 * `failures.retry` takes a listed failure, and the search filters only narrow the results.
 */
export interface ChosenFolders {
  /** The core, with the folder commands refused for a folder the user did not choose. */
  core: CoreApi;
  /** The shell, whose folder dialog records the folder chosen. */
  shell: ShellApi;
  /** Records a folder the user dropped on the window (a photo folder). */
  choose(folder: string): void;
}

export function onlyChosenFolders(core: CoreApi, shell: ShellApi): ChosenFolders {
  const chosen: Record<FolderPurpose, Set<string>> = {
    photos: new Set(),
    model: new Set(),
    labelled: new Set(),
  };

  /** The choice for `purpose` that covers `folder` (it or a folder above it). */
  function choiceFor(purpose: FolderPurpose, folder: string): string {
    const choice = [...chosen[purpose]].find((candidate) => isSameOrInside(folder, candidate));
    if (choice === undefined) throw notChosen(purpose, folder);
    return choice;
  }

  /** Runs `add` on a choice that is used up, unless the core refuses the folder. */
  async function withOneUseChoice<T>(
    purpose: FolderPurpose,
    folder: string,
    add: () => Promise<T>,
  ): Promise<T> {
    const choice = choiceFor(purpose, folder);
    chosen[purpose].delete(choice);
    try {
      return await add();
    } catch (error) {
      chosen[purpose].add(choice);
      throw error;
    }
  }

  return {
    core: {
      ...core,
      'folders.add': (folder) =>
        withOneUseChoice('photos', folder, () => core['folders.add'](folder)),
      'models.add': (folder) => withOneUseChoice('model', folder, () => core['models.add'](folder)),
      'models.compare': (request) => {
        choiceFor('labelled', request.folder);
        return core['models.compare'](request);
      },
    },
    shell: {
      ...shell,
      'shell.pickFolder': async (purpose = 'photos') => {
        const folder = await shell['shell.pickFolder'](purpose);
        if (folder !== null) chosen[purpose].add(folder);
        return folder;
      },
    },
    choose: (folder) => void chosen.photos.add(folder),
  };
}

function isSameOrInside(folder: string, choice: string): boolean {
  const prefix = choice.endsWith(path.sep) ? choice : choice + path.sep;
  return folder === choice || folder.startsWith(prefix);
}

const HOW_TO_CHOOSE: Record<FolderPurpose, string> = {
  photos:
    'was not chosen as a photo folder. Choose the folder with Add folder… or drop it on the window.',
  model: 'was not chosen as a model folder. Choose it with Add a model folder….',
  labelled: 'was not chosen as a labelled folder. Choose it in Compare models.',
};

function notChosen(purpose: FolderPurpose, folder: string): PhotoseekError {
  return new PhotoseekError('BAD_ARGUMENT', `${folder} ${HOW_TO_CHOOSE[purpose]}`);
}
