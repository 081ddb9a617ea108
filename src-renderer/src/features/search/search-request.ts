import type { CommandArgs, CoreApi } from '../../../../src-main/shared/contract';
import type { SearchFilters, SearchHit } from '../../../../src-main/shared/types';

/** The most hits the contract lets one query ask for; the UI shows the good ones ([Note: Best matches first]). */
export const SEARCH_LIMIT = 1000;

/**
 * A query by example: a library photo ("Find similar"), several ("More like these") or the bytes
 * of a dropped image.
 */
export type ImageQuery =
  | { kind: 'similar'; photoId: number | number[]; label: string; previewUrl: string }
  | { kind: 'bytes'; bytes: Uint8Array<ArrayBuffer>; label: string; previewUrl: string };

/** Words that refine an image query ("like this, but at night": [Note: Combined queries]). */
export interface RefinedImageQuery {
  kind: 'combined';
  example: ImageQuery;
  text: string;
}

/** A query and the filters it runs under (features/filters). */
export type SearchRequest = ({ kind: 'text'; text: string } | ImageQuery | RefinedImageQuery) & {
  filters?: SearchFilters;
};

export function runSearch(core: CoreApi, request: SearchRequest): Promise<SearchHit[]> {
  const options = { limit: SEARCH_LIMIT, ...request.filters };
  switch (request.kind) {
    case 'text':
      return core['search.text'](request.text, options);
    case 'similar':
      return core['search.similar'](request.photoId, options);
    case 'bytes':
      return core['search.imageBytes'](request.bytes, options);
    case 'combined':
      return core['search.combined'](combinedQuery(request), options);
  }
}

function combinedQuery({ example, text }: RefinedImageQuery): CommandArgs<'search.combined'>[0] {
  if (example.kind === 'bytes') return { imageBytes: example.bytes, text };
  const photoIds = typeof example.photoId === 'number' ? [example.photoId] : example.photoId;
  return { photoIds, text };
}
