import { useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';

/** The ways to look at the whole library while no query is active; the first is the home view. */
export const exploreViews = [
  { id: 'photos', label: 'Photos' },
  { id: 'clusters', label: 'Clusters' },
  { id: 'map', label: 'Map' },
  { id: 'duplicates', label: 'Duplicates' },
] as const;

export type ExploreViewId = (typeof exploreViews)[number]['id'];

export function isExploreViewId(value: unknown): value is ExploreViewId {
  return exploreViews.some((view) => view.id === value);
}

export interface ExploreTabsProps {
  active: ExploreViewId;
  onChange: (view: ExploreViewId) => void;
  /** The active view's panel. */
  children: ReactNode;
}

/**
 * A tab bar over the explore views (WAI-ARIA tabs: one tab stop, arrow keys, Home and End move
 * between the tabs and select them), with the active view below it as the tab panel.
 */
export function ExploreTabs({ active, onChange, children }: ExploreTabsProps) {
  const tabRefs = useRef(new Map<ExploreViewId, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const current = exploreViews.findIndex((view) => view.id === active);
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
    const view = next === null ? undefined : exploreViews[next];
    if (!view) return;
    event.preventDefault();
    onChange(view.id);
    tabRefs.current.get(view.id)?.focus();
  }

  return (
    <div className="explore">
      <div className="explore-tabs" role="tablist" aria-label="Explore" onKeyDown={onKeyDown}>
        {exploreViews.map((view) => (
          <button
            key={view.id}
            ref={(element) => {
              if (element) tabRefs.current.set(view.id, element);
              else tabRefs.current.delete(view.id);
            }}
            type="button"
            role="tab"
            id={`explore-tab-${view.id}`}
            aria-selected={view.id === active}
            aria-controls={`explore-panel-${view.id}`}
            tabIndex={view.id === active ? 0 : -1}
            className="explore-tab"
            onClick={() => onChange(view.id)}
          >
            {view.label}
          </button>
        ))}
      </div>
      <div
        className="explore-panel"
        role="tabpanel"
        id={`explore-panel-${active}`}
        aria-labelledby={`explore-tab-${active}`}
      >
        {children}
      </div>
    </div>
  );
}
