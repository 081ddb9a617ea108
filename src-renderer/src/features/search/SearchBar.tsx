import type { KeyboardEvent, RefObject } from 'react';
import { Icon } from '../../components/Icon';

export interface SearchBarProps {
  inputRef: RefObject<HTMLInputElement | null>;
  text: string;
  disabled: boolean;
  onTextChange: (text: string) => void;
  /** ArrowDown in the box: go to the results. */
  onLeaveToResults: () => void;
}

export function SearchBar({
  inputRef,
  text,
  disabled,
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
          placeholder='Describe a photo: "dog on a beach", "red car at night"'
          maxLength={1000}
          spellCheck={false}
          autoComplete="off"
          value={text}
          disabled={disabled}
          onChange={(event) => onTextChange(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <kbd className="search-shortcut" title="Press / to search">
          /
        </kbd>
      </label>
      <p id="search-hint" className="search-hint">
        Put a minus before a word to leave it out: <code>beach -people</code>. Or drop an image
        anywhere to find similar photos.
      </p>
    </div>
  );
}
