import { clipboard, ClipboardItem, nativeImage } from 'electron';
import type { BrowserWindow, NativeImage } from 'electron';
import { openVerifiedFile } from '../core/files/verified-file';
import type { HostApi } from '../core/rpc/host-api';
import { PhotoseekError } from '../shared/errors';
import type { VerifiedPhotoFile } from '../shared/types';
import { MAX_IMAGE_FILE_BYTES } from './image-types';

type PhotoFiles = Pick<HostApi, 'photos.verifiedFile' | 'photos.thumbnailPath'>;

/**
 * [Note: Photos leave by id] Dragging a photo out of the window and copying its path or image
 * name the photo by id, never by path: main asks the core for the photo's first file that is still
 * the file indexed ([Note: Verified files]) and hands that to the desktop, so a compromised
 * renderer can put on the clipboard or drag out only the library's own photos. The image copied
 * is read from the verified descriptor (so a swap after the check cannot change it), decoded
 * by Electron's nativeImage, which reads PNG and JPEG everywhere (other formats only on some
 * systems), and put on the clipboard as PNG (the one image type every clipboard reader takes):
 * a photo it cannot decode is refused with the advice to copy the path instead, rather
 * than putting an empty image on the clipboard. Files over MAX_IMAGE_FILE_BYTES are refused
 * before they are read, as a drop of such a file is.
 */
export function createPhotoTransfer(window: () => BrowserWindow | null, core: PhotoFiles) {
  async function libraryFile(photoId: number): Promise<VerifiedPhotoFile> {
    const file = await core['photos.verifiedFile'](photoId);
    if (!file) throw notInLibrary(photoId);
    return file;
  }

  return {
    /** The drag uses the photo's thumbnail as its picture (an empty one when it has none yet). */
    async startDrag(photoId: number): Promise<void> {
      const file = await libraryFile(photoId);
      const thumbnail = await core['photos.thumbnailPath'](photoId);
      const icon = thumbnail ? nativeImage.createFromPath(thumbnail) : nativeImage.createEmpty();
      const contents = window()?.webContents;
      if (!contents) throw new PhotoseekError('INTERNAL', 'The window is closed.');
      contents.startDrag({ file: file.path, icon });
    },
    async copyPath(photoId: number): Promise<void> {
      await clipboard.writeText((await libraryFile(photoId)).path);
    },
    async copyImage(photoId: number): Promise<void> {
      const file = await libraryFile(photoId);
      if (file.size > MAX_IMAGE_FILE_BYTES) throw tooLargeToCopy(file);
      const image = await decodeVerified(file);
      if (!image || image.isEmpty()) {
        throw new PhotoseekError(
          'BAD_ARGUMENT',
          `${file.path} cannot be copied as an image (${file.format.toUpperCase()}). Use Copy path instead.`,
        );
      }
      const png = new Blob([new Uint8Array(image.toPNG())], { type: 'image/png' });
      await clipboard.write([new ClipboardItem({ 'image/png': png })]);
    },
  };
}

async function decodeVerified(file: VerifiedPhotoFile): Promise<NativeImage | null> {
  const handle = await openVerifiedFile(file);
  if (!handle) return null;
  try {
    return nativeImage.createFromBuffer(await handle.readFile());
  } finally {
    await handle.close();
  }
}

function notInLibrary(photoId: number): PhotoseekError {
  return new PhotoseekError(
    'NOT_FOUND',
    `Photo ${photoId} has no file in the library that is still the one indexed. Try again once the library has caught up.`,
  );
}

function tooLargeToCopy(file: VerifiedPhotoFile): PhotoseekError {
  const megabytes = Math.round(MAX_IMAGE_FILE_BYTES / (1024 * 1024));
  return new PhotoseekError(
    'BAD_ARGUMENT',
    `${file.path} is larger than ${megabytes} MB, too large to copy as an image. Use Copy path instead.`,
  );
}
