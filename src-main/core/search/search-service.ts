import path from 'node:path';
import { PhotoseekError } from '../../shared/errors';
import type { PhotoId, SearchHit, SearchOptions } from '../../shared/types';
import type { Embedder } from '../embed/embedder';
import type { ImageInputSpec } from '../embed/model-spec';
import { toPixelTensor } from '../embed/preprocess';
import { decodeImage, decodeImageBuffer } from '../media';
import { photoSummary } from '../store/library-store';
import type { LibraryStore } from '../store/library-store';
import type { VectorFilter, VectorIndex } from '../store/vector-index';
import { combineQueryVectors, parseQueryText } from './query-text';
import { relevanceOf, type RelevanceCalibration } from './relevance';

export interface SearchDeps {
  store: LibraryStore;
  vectors: VectorIndex;
  embedder: Embedder;
  imageSpec: ImageInputSpec;
  /** The model's relevance calibration, measured on first use ([Note: Relevance cut-off]). */
  relevance: () => Promise<RelevanceCalibration>;
}

/** Text queries and image queries are calibrated apart: their scores live in different bands. */
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
    const decoded = await decodeImageBuffer(bytes, {
      input: this.deps.imageSpec,
      thumbnailSize: QUERY_THUMBNAIL,
      signal,
    });
    return this.byDecodedImage(decoded.rgb, options, signal);
  }

  private async byDecodedImage(
    rgb: Uint8Array,
    options: SearchOptions,
    signal?: AbortSignal,
  ): Promise<SearchHit[]> {
    const [vector] = await this.deps.embedder.embedImages(
      [toPixelTensor(rgb, this.deps.imageSpec)],
      signal,
    );
    return this.nearest(vector!, 'image', options);
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
    const [first, ...others] = examples;
    return this.nearest(
      others.length === 0 ? first! : meanDirection(examples),
      'image',
      options,
      photoIds,
    );
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
    if (filter.dirIds?.length === 0) return [];
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

function meanDirection(vectors: readonly Float32Array[]): Float32Array {
  const mean = new Float32Array(vectors[0]!.length);
  for (const vector of vectors) for (let i = 0; i < mean.length; i++) mean[i]! += vector[i]!;
  let norm = 0;
  for (const value of mean) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < mean.length; i++) mean[i]! /= norm;
  return mean;
}
