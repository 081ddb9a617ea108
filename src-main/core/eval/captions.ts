import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import { parseCsv } from './csv';

export interface Caption {
  /** Absolute path of the photo the caption describes. */
  path: string;
  caption: string;
}

/**
 * Reads a captions CSV: a header row naming a `path` and a `caption` column (in any order, other
 * columns ignored), then one caption per row. Relative paths are relative to the CSV's folder,
 * so a CSV travels with its photos. A photo may have several captions.
 */
export async function readCaptions(file: string): Promise<Caption[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PhotoseekError('NOT_FOUND', `Cannot read the captions file ${file}.`, {
      cause: error,
    });
  }
  const [header, ...rows] = parseCsv(text);
  const pathColumn = header?.indexOf('path') ?? -1;
  const captionColumn = header?.indexOf('caption') ?? -1;
  if (pathColumn < 0 || captionColumn < 0) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `${file} needs a header row with "path" and "caption" columns (found: ${header?.join(', ') ?? 'nothing'}).`,
    );
  }
  const base = path.dirname(path.resolve(file));
  return rows.flatMap((row) => {
    const photo = row[pathColumn]?.trim();
    const caption = row[captionColumn]?.trim();
    return photo && caption ? [{ path: path.resolve(base, photo), caption }] : [];
  });
}
