import { InvalidArgumentError, Option, type Command } from 'commander';
import { imageFormats, photoOrientations } from '../shared/contract';
import type { ImageFormat, PhotoOrientation, SearchFilters } from '../shared/types';

/** What commander hands over for the options added by addFilterOptions. */
export interface FilterFlags {
  camera?: string[];
  format?: ImageFormat[];
  orientation?: PhotoOrientation;
  hasLocation?: boolean;
  withoutLocation?: boolean;
}

/**
 * The catalogue filters of `search` and `similar` ([Note: Catalogue filters]), beside the folder
 * and date flags. A flag given twice adds values (`--camera "NIKON D750" --camera "X-T4"`), and
 * `--format` also takes a comma list; neither is variadic, so a flag never swallows the words of
 * the query that follow it (`photoseek search --format png red car`).
 */
export function addFilterOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--camera <name>',
        'only photos from this camera, as `photoseek facets` lists it (repeat for several)',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--format <format>',
        `only photos in this format: ${imageFormats.join(', ')} (a comma list or repeated)`,
      ).argParser(collectFormats),
    )
    .addOption(
      new Option(
        '--orientation <orientation>',
        'only landscape, portrait or square photos',
      ).choices(photoOrientations),
    )
    .addOption(new Option('--has-location', 'only photos with a GPS position'))
    .addOption(
      new Option('--without-location', 'only photos without a GPS position').conflicts(
        'hasLocation',
      ),
    );
}

export function toFilters(flags: FilterFlags): SearchFilters {
  const filters: SearchFilters = {};
  if (flags.camera) filters.cameras = flags.camera;
  if (flags.format) filters.formats = flags.format;
  if (flags.orientation) filters.orientation = flags.orientation;
  if (flags.hasLocation) filters.hasLocation = true;
  if (flags.withoutLocation) filters.hasLocation = false;
  return filters;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function collectFormats(value: string, previous: ImageFormat[] | undefined): ImageFormat[] {
  const formats = value
    .split(',')
    .map((format) => format.trim().toLowerCase())
    .filter((format) => format.length > 0);
  const unknown = formats.find((format) => !(imageFormats as readonly string[]).includes(format));
  if (unknown !== undefined || formats.length === 0) {
    throw new InvalidArgumentError(
      `"${unknown ?? value}" is not a photo format; use one of ${imageFormats.join(', ')}.`,
    );
  }
  return [...new Set([...(previous ?? []), ...(formats as ImageFormat[])])];
}
