import type { CoreApi } from '../../../../src-main/shared/contract';
import type { SearchHit } from '../../../../src-main/shared/types';

/** The most hits the contract lets one query ask for; the UI shows the good ones ([Note: Best matches first]). */
export const SEARCH_LIMIT = 1000;

/**
 * A query by example: a library photo ("Find similar"), several ("More like these") or the bytes
 * of a dropped image.
 */
export type ImageQuery =
  | { kind: 'similar'; photoId: number | number[]; label: string; previewUrl: string }
  | { kind: 'bytes'; bytes: Uint8Array<ArrayBuffer>; label: string; previewUrl: string };

export type SearchRequest = { kind: 'text'; text: string } | ImageQuery;

export function runSearch(core: CoreApi, request: SearchRequest): Promise<SearchHit[]> {
  const options = { limit: SEARCH_LIMIT };
  switch (request.kind) {
    case 'text':
      return core['search.text'](request.text, options);
    case 'similar':
      return core['search.similar'](request.photoId, options);
    case 'bytes':
      return core['search.imageBytes'](request.bytes, options);
  }
}
