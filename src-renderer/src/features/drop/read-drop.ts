import { errorMessage, isCancelled } from '../../api';
import { formatBytes } from '../../format';

/** The contract's limit for `search.imageBytes`. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** Formats the core decodes; browsers give HEIC and RAW files no MIME type, so names count too. */
const imageNamePattern =
  /\.(jpe?g|png|webp|avif|gif|tiff?|heic|heif|bmp|jxl|dng|cr2|cr3|crw|nef|arw|orf|rw2|raf)$/i;

/**
 * What a drop carried, copied out while the drop event runs (its DataTransfer is emptied
 * afterwards). `path` is a folder's place on disk, '' when unknown (a file, or no desktop app).
 */
export interface CapturedDrop {
  files: { file: File; isDirectory: boolean; path: string }[];
  url: string | null;
}

export type DropContent =
  | { kind: 'image'; name: string; bytes: Uint8Array<ArrayBuffer>; blob: Blob }
  | { kind: 'folder'; name: string; path: string | null }
  | { kind: 'problem'; message: string };

export function canAccept(data: DataTransfer | null): boolean {
  return !!data && (data.types.includes('Files') || data.types.includes('text/uri-list'));
}

export function captureDrop(data: DataTransfer, pathForFile: (file: File) => string): CapturedDrop {
  const fileItems = [...data.items].filter((item) => item.kind === 'file');
  const files = [...data.files].map((file, index) => {
    const isDirectory = fileItems[index]?.webkitGetAsEntry()?.isDirectory ?? false;
    return { file, isDirectory, path: isDirectory ? pathForFile(file) : '' };
  });
  const url =
    data
      .getData('text/uri-list')
      .split(/\r?\n/)
      .find((line) => line.trim() !== '' && !line.startsWith('#')) ?? null;
  return { files, url: url?.trim() ?? null };
}

/**
 * [Note: Dropped images] A dropped file is read as bytes and searched with search.imageBytes,
 * in the browser and in Electron alike: the bridge has no way to turn a File into a path, and the
 * core sniffs the format from the bytes anyway. An image dragged from a web page arrives as a URL
 * (text/uri-list): main downloads an https one ([Note: Web images are fetched in main]), the
 * renderer reads a data: one itself; when that fails (offline, refused, not an image, too large)
 * the user is told why and to save the image and drop the file. A dropped folder is recognised by
 * its directory entry; the app offers to add it when the bridge knows its path (the desktop app,
 * where main accepts it as dropped: [Note: Dropped folders]) and the folder picker otherwise.
 */
export async function readDrop(
  { files, url }: CapturedDrop,
  fetchWebImage: WebImageFetch,
): Promise<DropContent | null> {
  const first = files[0];
  if (first)
    return first.isDirectory
      ? { kind: 'folder', name: first.file.name, path: first.path || null }
      : readImageFile(first.file);
  if (url?.startsWith('data:')) return readDataUrl(url);
  if (url) return downloadImage(url, fetchWebImage);
  return null;
}

/** Main's `shell.fetchWebImage`. */
export type WebImageFetch = (url: string) => Promise<{ bytes: Uint8Array; name: string }>;

async function readImageFile(file: File): Promise<DropContent> {
  if (!file.type.startsWith('image/') && !imageNamePattern.test(file.name)) {
    return {
      kind: 'problem',
      message: `${file.name} is not an image. Drop a photo to find similar ones.`,
    };
  }
  if (file.size > MAX_IMAGE_BYTES) return tooLarge(file.name, file.size);
  return {
    kind: 'image',
    name: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
    blob: file,
  };
}

async function downloadImage(
  url: string,
  fetchWebImage: WebImageFetch,
): Promise<DropContent | null> {
  try {
    const { bytes, name } = await fetchWebImage(url);
    const copy = Uint8Array.from(bytes);
    return { kind: 'image', name, bytes: copy, blob: new Blob([copy]) };
  } catch (error) {
    if (isCancelled(error)) return null;
    return { kind: 'problem', message: errorMessage(error) };
  }
}

async function readDataUrl(url: string): Promise<DropContent> {
  const blob = await (await fetch(url)).blob();
  if (!blob.type.startsWith('image/')) {
    return {
      kind: 'problem',
      message: `The link from the page is not an image (${blob.type || 'unknown type'}). Save the image to your computer and drop the file instead.`,
    };
  }
  if (blob.size > MAX_IMAGE_BYTES) return tooLarge('The image', blob.size);
  return { kind: 'image', name: 'the page', bytes: new Uint8Array(await blob.arrayBuffer()), blob };
}

function tooLarge(name: string, size: number): DropContent {
  return {
    kind: 'problem',
    message: `${name} is ${formatBytes(size)}; images up to ${formatBytes(MAX_IMAGE_BYTES)} can be searched.`,
  };
}
