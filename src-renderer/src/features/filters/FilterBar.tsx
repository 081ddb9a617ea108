import { useId } from 'react';
import type { ChangeEvent, ReactNode } from 'react';
import type { LibraryFolder } from '../../../../src-main/shared/types';
import { Icon } from '../../components/Icon';
import { baseName, formatCount } from '../../format';
import { FilterChips } from './FilterChips';
import { capitalise, dayOf, filterChips, formatLabel } from './filter-state';
import type { FilterKey, FilterState } from './filter-state';
import type { Filters } from './use-filters';

export interface FilterBarProps {
  filters: Filters;
  folders: readonly LibraryFolder[];
  /** The search box's text, whose "-" terms are shown as chips too. */
  text: string;
  onTextChange: (text: string) => void;
}

/**
 * The filters under the search box: a "Filters" button that shows or hides the controls (real
 * <select> and date inputs: keyboard and screen readers need nothing more), and the active
 * filters as removable chips beside the query's "-" terms, shown either way. They apply to every
 * query ([Note: Filters stay]).
 */
export function FilterBar({ filters, folders, text, onTextChange }: FilterBarProps) {
  const { state, set, facets } = filters;
  const bind =
    <K extends FilterKey>(key: K) =>
    (event: ChangeEvent<HTMLSelectElement | HTMLInputElement>) =>
      set(key, event.target.value as FilterState[K]);
  const count = (n: number) => ` (${formatCount(n)})`;
  const chips = filterChips(state);
  const { open, setOpen } = filters;
  // The date pickers open within the library's span of capture dates.
  const firstDay = facets.dateSpan ? dayOf(facets.dateSpan.first) : undefined;
  const lastDay = facets.dateSpan ? dayOf(facets.dateSpan.last) : undefined;
  const controlsId = useId();

  return (
    <div className="filter-bar">
      <div className="filter-summary">
        <button
          type="button"
          className="button filter-toggle"
          aria-expanded={open}
          aria-controls={controlsId}
          onClick={() => setOpen(!open)}
        >
          <Icon name="filter" /> Filters{chips.length > 0 ? ` (${chips.length})` : ''}
        </button>
        <FilterChips
          chips={chips}
          onRemove={(key) => set(key, '')}
          onClearAll={filters.clear}
          text={text}
          onTextChange={onTextChange}
        />
      </div>
      <div
        id={controlsId}
        className="filter-controls"
        role="group"
        aria-label="Filters"
        hidden={!open}
      >
        <Field label="Folder">
          {(id) => (
            <select id={id} className="select" value={state.folder} onChange={bind('folder')}>
              <option value="">Any folder</option>
              {folders.map((folder) => (
                <option key={folder.path} value={folder.path}>
                  {baseName(folder.path)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From">
          {(id) => (
            <input
              id={id}
              type="date"
              className="select"
              value={state.from}
              min={firstDay}
              max={state.to || lastDay}
              onChange={bind('from')}
            />
          )}
        </Field>
        <Field label="To">
          {(id) => (
            <input
              id={id}
              type="date"
              className="select"
              value={state.to}
              min={state.from || firstDay}
              max={lastDay}
              onChange={bind('to')}
            />
          )}
        </Field>
        <Field label="Camera">
          {(id) => (
            <select id={id} className="select" value={state.camera} onChange={bind('camera')}>
              <option value="">Any camera</option>
              {facets.cameras.map(({ camera, count: n }) => (
                <option key={camera} value={camera}>
                  {camera}
                  {count(n)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Format">
          {(id) => (
            <select id={id} className="select" value={state.format} onChange={bind('format')}>
              <option value="">Any format</option>
              {facets.formats.map(({ format, count: n }) => (
                <option key={format} value={format}>
                  {formatLabel(format)}
                  {count(n)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Orientation">
          {(id) => (
            <select
              id={id}
              className="select"
              value={state.orientation}
              onChange={bind('orientation')}
            >
              <option value="">Any shape</option>
              {facets.orientations.map(({ orientation, count: n }) => (
                <option key={orientation} value={orientation}>
                  {capitalise(orientation)}
                  {count(n)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Location">
          {(id) => (
            <select id={id} className="select" value={state.location} onChange={bind('location')}>
              <option value="">With or without</option>
              <option value="with">Has location{count(facets.withLocation)}</option>
              <option value="without">
                No location{count(facets.photos - facets.withLocation)}
              </option>
            </select>
          )}
        </Field>
      </div>
      {filters.facetsError && (
        <p className="filter-problem" role="alert">
          Could not load the filter choices: {filters.facetsError}
        </p>
      )}
    </div>
  );
}

/** A control with its visible label, tied by id (the label names the control, nothing else). */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
