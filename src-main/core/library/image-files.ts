import path from 'node:path';
import { looksLikeImage } from '../media';

/**
 * [Note: Which files are photos] Content decides, not the name: a file is a candidate when its
 * extension is an image one (so a broken "photo.jpg" is listed as a failure the user can act on)
 * or when its first bytes are an image signature (a JPEG without an extension is indexed). Files
 * with well-known non-image extensions (videos, sidecars) are skipped without being opened, so a
 * rescan does not read the head of every video; other unknown files are sniffed and silently
 * ignored when they are not images. Image formats Photoseek cannot decode (JPEG 2000, PSD …) are
 * still candidates, by name or by signature, so they are listed with a reason that names them.
 */
const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.png',
  '.webp',
  '.avif',
  '.gif',
  '.tif',
  '.tiff',
  '.heic',
  '.heif',
  '.hif',
  '.dng',
  '.cr2',
  '.cr3',
  '.nef',
  '.nrw',
  '.arw',
  '.orf',
  '.rw2',
  '.raf',
  '.pef',
  '.srw',
  '.bmp',
  '.dib',
  '.jxl',
  '.crw',
  '.jp2',
  '.j2k',
  '.jpf',
  '.jpx',
  '.psd',
  '.jxr',
  '.wdp',
  '.hdp',
  '.exr',
  '.qoi',
]);
const NON_IMAGE_EXTENSIONS = new Set([
  '.mp4',
  '.mov',
  '.m4v',
  '.avi',
  '.mkv',
  '.mts',
  '.m2ts',
  '.3gp',
  '.wmv',
  '.webm',
  '.mpg',
  '.xmp',
  '.aae',
  '.thm',
  '.lrv',
  '.json',
  '.txt',
  '.md',
  '.pdf',
  '.ini',
  '.db',
  '.csv',
  '.xml',
  '.html',
  '.zip',
  '.mp3',
  '.wav',
  '.m4a',
  '.pp3',
  '.dop',
  '.lrcat',
]);

export function hasImageExtension(filePath: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(filePath).toLowerCase());
}

export async function isPhotoCandidate(filePath: string): Promise<boolean> {
  const extension = path.extname(filePath).toLowerCase();
  if (hasImageExtension(filePath)) return true;
  if (NON_IMAGE_EXTENSIONS.has(extension)) return false;
  try {
    return await looksLikeImage(filePath);
  } catch {
    return false;
  }
}
