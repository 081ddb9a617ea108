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
  clear: () => void;
}

/**
 * [Note: One query at a time] The search box and a query image are mutually exclusive: typing
 * drops the image, an image clears the text. An emptied box stops searching at once, without
 * waiting for the debounce.
 */
export function useSearch(): SearchInput {
  const [text, setTextState] = useState('');
  const [imageQuery, setImageQuery] = useState<ImageQuery | null>(null);
  const debouncedText = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const hasText = text.trim().length > 0;

  const request = useMemo<SearchRequest | null>(() => {
    if (imageQuery) return imageQuery;
    return hasText && debouncedText ? { kind: 'text', text: debouncedText } : null;
  }, [imageQuery, hasText, debouncedText]);

  useEffect(() => {
    if (imageQuery?.kind !== 'bytes') return;
    return () => URL.revokeObjectURL(imageQuery.previewUrl);
  }, [imageQuery]);

  const setText = useCallback((value: string) => {
    setTextState(value);
    setImageQuery(null);
  }, []);
  const searchByImage = useCallback((query: ImageQuery) => {
    setImageQuery(query);
    setTextState('');
  }, []);
  const clear = useCallback(() => {
    setTextState('');
    setImageQuery(null);
  }, []);

  return { text, imageQuery, request, setText, searchByImage, clear };
}
