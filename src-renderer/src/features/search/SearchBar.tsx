import type { KeyboardEvent, RefObject } from 'react';
import { Icon } from '../../components/Icon';

export interface SearchBarProps {
  inputRef: RefObject<HTMLInputElement | null>;
  text: string;
  disabled: boolean;
  /**
   * The active model when it cannot search by words (an image-only model): the box is greyed
   * with the reason, and dropping an image still works ([Note: Image-only models]).
   */
  imageOnlyModel: string | null;
  onTextChange: (text: string) => void;
  /** ArrowDown in the box: go to the results. */
  onLeaveToResults: () => void;
}

export function SearchBar({
  inputRef,
  text,
  disabled,
  imageOnlyModel,
  onTextChange,
  onLeaveToResults,
}: SearchBarProps) {
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'Enter') {
      event.preventDefault();
      onLeaveToResults();
    }
  }
  return (
    <div className="search-bar">
      <label className="search-field">
        <Icon name="search" />
        <input
          ref={inputRef}
          type="search"
          aria-label="Search photos"
          aria-describedby="search-hint"
          placeholder={
            imageOnlyModel
              ? 'Text search needs a model with a text tower'
              : 'Describe a photo: "dog on a beach", "red car at night"'
          }
          maxLength={1000}
          spellCheck={false}
          autoComplete="off"
          value={text}
          disabled={disabled || imageOnlyModel !== null}
          onChange={(event) => onTextChange(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <kbd className="search-shortcut" title="Press / to search">
          /
        </kbd>
      </label>
      {imageOnlyModel ? (
        <p id="search-hint" className="search-hint">
          {imageOnlyModel} is an image-only model: it finds photos like an image, not by words. Drop
          an image anywhere to find similar photos, or use a model with text search.
        </p>
      ) : (
        <p id="search-hint" className="search-hint">
          Put a minus before a word to leave it out: <code>beach -people</code>. Or drop an image
          anywhere to find similar photos.
        </p>
      )}
    </div>
  );
}
