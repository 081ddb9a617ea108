import path from 'node:path';
import { imageFormats, photoOrientations } from '../../shared/contract';
import { PhotoseekError } from '../../shared/errors';
import type { CombinedQuery, PhotoId, SearchHit, SearchOptions } from '../../shared/types';
import type { Embedder } from '../inference/embedder';
import type { ImageInputSpec } from '../models/model-spec';
import { toPixelTensor } from '../inference/preprocess';
import { decodeImage, decodeImageBuffer } from '../media';
import { photoSummary } from '../store/library-store';
import type { LibraryStore } from '../store/library-store';
import { PhotoFacts } from '../store/photo-facts';
import type { VectorFilter, VectorIndex } from '../vectors/vector-index';
import { combineQueryVectors, parseQueryText, unitLength } from './query-text';
import { relevanceOf, type RelevanceCalibration } from './relevance';

export interface SearchDeps {
  store: LibraryStore;
  facts: PhotoFacts;
  vectors: VectorIndex;
  embedder: Embedder;
  imageSpec: ImageInputSpec;
  /** The model's relevance calibration, measured on first use ([Note: Relevance cut-off]). */
  relevance: () => Promise<RelevanceCalibration>;
}

/**
 * Text queries and image queries are calibrated apart: their scores live in different bands. An
 * example refined by words counts as text: its vector is half caption, and its scores sit with
 * the text band's, well below an image's nearest neighbours.
 */
type QueryKind = 'text' | 'image';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;
/** Query images need no real thumbnail; the decoder makes one anyway, so keep it tiny. */
const QUERY_THUMBNAIL = 32;

/**
 * Text, image and find-similar queries. All three end in the same place: a unit query vector,
 * an exact filtered top-k from the vector index, and photo rows for the hits.
 */
export class SearchService {
  constructor(private readonly deps: SearchDeps) {}

  async byText(
    query: string,
    options: SearchOptions = {},
    signal?: AbortSignal,
  ): Promise<SearchHit[]> {
    const { positive, negatives } = parseQueryText(query);
    if (positive.length === 0) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        'Type what to look for, e.g. "dog on a beach" (only "-" terms were given).',
      );
    }
    const [positiveVector, ...negativeVectors] = await this.deps.embedder.embedTexts(
      [positive, ...negatives],
      signal,
    );
    return this.nearest(combineQueryVectors(positiveVector!, negativeVectors), 'text', options);
  }

  /** Find photos like an image that need not be in the library (a file dropped onto the app). */
  async byImageFile(
    filePath: string,
    options: SearchOptions = {},
    signal?: AbortSignal,
  ): Promise<SearchHit[]> {
    const decoded = await decodeImage(filePath, {
      input: this.deps.imageSpec,
      thumbnailSize: QUERY_THUMBNAIL,
      signal,
    });
    return this.byDecodedImage(decoded.rgb, options, signal);
  }

  /** Find photos like image bytes (an image dragged in from a web page). */
  async byImageBytes(
    bytes: Uint8Array,
    options: SearchOptions = {},
    signal?: AbortSignal,
  ): Promise<SearchHit[]> {
    return this.nearest(await this.embedImageBytes(bytes, signal), 'image', options);
  }

  private async byDecodedImage(
    rgb: Uint8Array,
    options: SearchOptions,
    signal?: AbortSignal,
  ): Promise<SearchHit[]> {
    return this.nearest(await this.embedDecoded(rgb, signal), 'image', options);
  }

  private async embedDecoded(rgb: Uint8Array, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.deps.embedder.embedImages(
      [toPixelTensor(rgb, this.deps.imageSpec)],
      signal,
    );
    return vector!;
  }

  /**
   * [Note: Combined queries] "Like this photo, but at night": the example (one image, or the
   * [Note: More like these] direction of several photos) and the words make one query vector, the
   * normalised sum of the unit image vector and the unit text embedding, from which each "-" term
   * is subtracted as in [Note: Negative terms] (NEGATIVE_WEIGHT, re-normalised). Equal weights:
   * both parts are unit vectors, and CLIP-style models put a photo and its caption in the same
   * space. The text may be "-" terms only ("like this, without people"). Image-only models have
   * no text part to add: NO_TEXT_TOWER, as for a text search. The example photos are left out of
   * the hits.
   */
  async combined(
    query: CombinedQuery,
    options: SearchOptions = {},
    signal?: AbortSignal,
  ): Promise<SearchHit[]> {
    const { positive, negatives } = parseQueryText(query.text);
    if (positive.length === 0 && negatives.length === 0) {
      throw new PhotoseekError('BAD_ARGUMENT', 'Type the words that refine the example image.');
    }
    const exclude = query.photoIds ? [...new Set(query.photoIds)] : [];
    const example = query.photoIds
      ? this.exampleDirection(exclude)
      : query.imageBytes
        ? await this.embedImageBytes(query.imageBytes, signal)
        : null;
    if (!example) {
      throw new PhotoseekError('BAD_ARGUMENT', 'Give example photos or an image to refine.');
    }
    const texts = positive.length > 0 ? [positive, ...negatives] : negatives;
    const embedded = await this.deps.embedder.embedTexts(texts, signal);
    const positiveVectors = positive.length > 0 ? [example, embedded[0]!] : [example];
    const negativeVectors = positive.length > 0 ? embedded.slice(1) : embedded;
    const sum = unitLength(addVectors(positiveVectors));
    return this.nearest(combineQueryVectors(sum, negativeVectors), 'text', options, exclude);
  }

  private async embedImageBytes(bytes: Uint8Array, signal?: AbortSignal): Promise<Float32Array> {
    const decoded = await decodeImageBuffer(bytes, {
      input: this.deps.imageSpec,
      thumbnailSize: QUERY_THUMBNAIL,
      signal,
    });
    return this.embedDecoded(decoded.rgb, signal);
  }

  /**
   * [Note: More like these] Several example photos make one query: the normalised mean of their
   * unit vectors, the direction they share (as for CLIP's prompt ensembles). The examples
   * themselves are left out of the hits.
   */
  async similarTo(
    photos: PhotoId | readonly PhotoId[],
    options: SearchOptions = {},
  ): Promise<SearchHit[]> {
    const photoIds = [...new Set(typeof photos === 'number' ? [photos] : photos)];
    return this.nearest(this.exampleDirection(photoIds), 'image', options, photoIds);
  }

  /** The stored vector of one photo, or the mean direction of several. */
  private exampleDirection(photoIds: readonly PhotoId[]): Float32Array {
    if (photoIds.length === 0) {
      throw new PhotoseekError('BAD_ARGUMENT', 'Choose at least one photo to find similar ones.');
    }
    const examples = photoIds.map((photoId) => {
      const vector = this.deps.vectors.get(photoId);
      if (!vector) {
        throw new PhotoseekError('NOT_FOUND', `There is no indexed photo with id ${photoId}.`);
      }
      return vector;
    });
    return examples.length === 1 ? examples[0]! : unitLength(addVectors(examples));
  }

  private async nearest(
    vector: Float32Array,
    kind: QueryKind,
    options: SearchOptions,
    exclude: PhotoId[] = [],
  ): Promise<SearchHit[]> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `The limit must be a whole number from 1 to ${MAX_LIMIT}.`,
      );
    }
    const filter = this.toVectorFilter(options, exclude);
    if (filter.dirIds?.length === 0 || filter.photoIds?.length === 0) return [];
    const hits = this.deps.vectors.search(vector, limit, filter);
    if (hits.length === 0) return [];
    const calibration = await this.deps.relevance();
    const band = (kind === 'text' ? calibration.text : null) ?? calibration.image;
    const photos = this.deps.store.photos(hits.map((hit) => hit.photoId));
    return hits.flatMap((hit) => {
      const photo = photos.get(hit.photoId);
      if (!photo) return [];
      return [
        { ...photoSummary(photo), score: hit.score, relevance: relevanceOf(hit.score, band) },
      ];
    });
  }

  private toVectorFilter(options: SearchOptions, exclude: PhotoId[]): VectorFilter {
    const { after, before, folders } = options;
    for (const [name, value] of [
      ['after', after],
      ['before', before],
    ] as const) {
      if (value !== undefined && !Number.isFinite(value)) {
        throw new PhotoseekError('BAD_ARGUMENT', `The "${name}" date is not a valid date.`);
      }
    }
    if (after !== undefined && before !== undefined && after >= before) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        'The "after" date must be earlier than the "before" date.',
      );
    }
    const filter: VectorFilter = { excludePhotoIds: exclude };
    if (after !== undefined) filter.after = after;
    if (before !== undefined) filter.before = before;
    if (folders && folders.length > 0)
      filter.dirIds = folders.flatMap((folder) => this.dirIdsFor(folder));
    checkFactFilters(options);
    if (PhotoFacts.any(options)) filter.photoIds = this.deps.facts.photoIdsMatching(options);
    return filter;
  }

  private dirIdsFor(folder: string): number[] {
    const absolute = path.resolve(folder);
    const libraryFolders = this.deps.store.listFolders();
    const inside = libraryFolders.some(
      (root) =>
        absolute === root.path ||
        absolute.startsWith(root.path + path.sep) ||
        root.path.startsWith(absolute + path.sep),
    );
    if (!inside) {
      const known = libraryFolders.map((root) => root.path).join(', ') || 'none yet';
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `${absolute} is not in the library (library folders: ${known}).`,
      );
    }
    return this.deps.store.dirIdsUnder(absolute);
  }
}

function addVectors(vectors: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(vectors[0]!.length);
  for (const vector of vectors) for (let i = 0; i < sum.length; i++) sum[i]! += vector[i]!;
  return sum;
}

/**
 * The core's own check of the fact filters (the CLI calls the core directly; the app's calls
 * were parsed against SearchOptionsSchema already): one line naming the values it takes.
 */
function checkFactFilters(options: SearchOptions): void {
  const unknownFormat = options.formats?.find((format) => !imageFormats.includes(format));
  if (unknownFormat !== undefined) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `"${unknownFormat}" is not a photo format; use one of ${imageFormats.join(', ')}.`,
    );
  }
  const { orientation } = options;
  if (orientation !== undefined && !photoOrientations.includes(orientation)) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `"${String(orientation)}" is not an orientation; use ${photoOrientations.join(', ')}.`,
    );
  }
  for (const [name, list] of [
    ['camera', options.cameras],
    ['format', options.formats],
  ] as const) {
    if (list !== undefined && list.length === 0) {
      throw new PhotoseekError('BAD_ARGUMENT', `Give at least one ${name} to filter by.`);
    }
  }
}
