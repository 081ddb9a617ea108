import { useRef, type KeyboardEvent } from 'react';

/** The app's views, in tab order: search first; each explore branch adds its own. */
export const exploreViews = [
  { id: 'search', label: 'Search' },
  { id: 'duplicates', label: 'Duplicates' },
] as const;

export type ExploreViewId = (typeof exploreViews)[number]['id'];

export interface ExploreTabsProps {
  view: ExploreViewId;
  onChange: (view: ExploreViewId) => void;
}

/** A tablist (WAI-ARIA tabs): arrow keys, Home and End move between views, as do clicks. */
export function ExploreTabs({ view, onChange }: ExploreTabsProps) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  function onKeyDown(event: KeyboardEvent) {
    const at = exploreViews.findIndex((candidate) => candidate.id === view);
    const last = exploreViews.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (at + 1) % exploreViews.length
        : event.key === 'ArrowLeft'
          ? (at + last) % exploreViews.length
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
      {exploreViews.map((candidate, index) => (
        <button
          key={candidate.id}
          ref={(element) => {
            tabs.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${candidate.id}`}
          aria-selected={candidate.id === view}
          aria-controls={`view-${candidate.id}`}
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
