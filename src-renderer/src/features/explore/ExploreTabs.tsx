import './explore.css';
import { useRef, type KeyboardEvent } from 'react';

/** The views of the main area, in tab order (other explore views add themselves here). */
export const exploreViews = [
  { id: 'search', label: 'Search' },
  { id: 'clusters', label: 'Clusters' },
] as const;

export type ExploreViewId = (typeof exploreViews)[number]['id'];

/**
 * A small accessible tab bar (WAI-ARIA tabs, automatic activation): one tab stop, arrow keys move
 * between tabs, Home / End to the first / last.
 */
export function ExploreTabs({
  view,
  onChange,
}: {
  view: ExploreViewId;
  onChange: (view: ExploreViewId) => void;
}) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  function onKeyDown(event: KeyboardEvent) {
    const current = exploreViews.findIndex((candidate) => candidate.id === view);
    const last = exploreViews.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (current + 1) % exploreViews.length
        : event.key === 'ArrowLeft'
          ? (current + last) % exploreViews.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    onChange(exploreViews[next]!.id);
    tabs.current[next]?.focus();
  }

  return (
    <div className="explore-tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {exploreViews.map((candidate, i) => (
        <button
          key={candidate.id}
          ref={(element) => {
            tabs.current[i] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${candidate.id}`}
          aria-selected={candidate.id === view}
          aria-controls="explore-panel"
          tabIndex={candidate.id === view ? 0 : -1}
          className="explore-tab"
          onClick={() => onChange(candidate.id)}
        >
          {candidate.label}
        </button>
      ))}
    </div>
  );
}
