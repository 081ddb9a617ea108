import { useMemo } from 'react';
import { errorMessage, useBridge } from '../../api';
import { baseName } from '../../format';
import type { Notify } from '../notices/use-notice';

/** A photo as the copy actions name it: by id for main, by file name for the messages. */
export interface CopiedPhoto {
  photoId: number;
  path: string;
}

export interface PhotoClipboard {
  copyPath: (photo: CopiedPhoto) => void;
  copyImage: (photo: CopiedPhoto) => void;
}

/** Copy path / Copy image: main puts the photo's library file on the clipboard; the window says so. */
export function usePhotoClipboard(notify: Notify): PhotoClipboard {
  const { shell } = useBridge();
  return useMemo(() => {
    function run(action: Promise<void>, done: string, failure: string) {
      action.then(
        () => notify({ kind: 'info', message: done }),
        (error: unknown) =>
          notify({ kind: 'error', message: `${failure}: ${errorMessage(error)}` }),
      );
    }
    return {
      copyPath: (photo) =>
        run(
          shell['shell.copyPath'](photo.photoId),
          `Copied the path of ${baseName(photo.path)}.`,
          'Could not copy the path',
        ),
      copyImage: (photo) =>
        run(
          shell['shell.copyImage'](photo.photoId),
          `Copied ${baseName(photo.path)} as an image.`,
          'Could not copy the image',
        ),
    };
  }, [shell, notify]);
}
