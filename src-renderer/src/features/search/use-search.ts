import { useCallback, useEffect, useMemo, useState } from 'react';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import type { ImageQuery, SearchRequest } from './search-request';

/** Search starts once typing pauses this long (results as you type, not a query per key). */
export const SEARCH_DEBOUNCE_MS = 150;

export interface SearchInput {
  text: string;
  imageQuery: ImageQuery | null;
  /** What to ask the core now, or null when there is nothing to search for. */
  request: SearchRequest | null;
  setText: (text: string) => void;
  searchByImage: (query: ImageQuery) => void;
  /** Drops the image query and keeps the words (a text search again). */
  clearImage: () => void;
  clear: () => void;
}

/**
 * [Note: One query at a time] One query is active: the words in the box, an image, or both. A new
 * image clears the words; words typed while an image query is active refine it ("like this, but
 * at night": a combined query) instead of replacing it, until the image is cleared. An emptied
 * box stops searching by words at once, without waiting for the debounce.
 */
export function useSearch(): SearchInput {
  const [text, setTextState] = useState('');
  const [imageQuery, setImageQuery] = useState<ImageQuery | null>(null);
  // A new image or a cleared query starts a new generation: words typed before it, still in the
  // debounce, must not refine the new image.
  const [generation, setGeneration] = useState(0);
  const typed = useMemo(() => ({ generation, text: text.trim() }), [generation, text]);
  const debounced = useDebouncedValue(typed, SEARCH_DEBOUNCE_MS);
  const debouncedText = debounced.generation === generation ? debounced.text : '';
  const hasText = typed.text.length > 0;

  const request = useMemo<SearchRequest | null>(() => {
    const words = hasText && debouncedText ? debouncedText : null;
    if (imageQuery)
      return words ? { kind: 'combined', example: imageQuery, text: words } : imageQuery;
    return words ? { kind: 'text', text: words } : null;
  }, [imageQuery, hasText, debouncedText]);

  useEffect(() => {
    if (imageQuery?.kind !== 'bytes') return;
    return () => URL.revokeObjectURL(imageQuery.previewUrl);
  }, [imageQuery]);

  const setText = useCallback((value: string) => setTextState(value), []);
  const searchByImage = useCallback((query: ImageQuery) => {
    setImageQuery(query);
    setTextState('');
    setGeneration((previous) => previous + 1);
  }, []);
  const clearImage = useCallback(() => setImageQuery(null), []);
  const clear = useCallback(() => {
    setTextState('');
    setImageQuery(null);
    setGeneration((previous) => previous + 1);
  }, []);

  return { text, imageQuery, request, setText, searchByImage, clearImage, clear };
}
