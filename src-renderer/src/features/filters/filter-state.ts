import type {
  ImageFormat,
  LibraryFacets,
  PhotoOrientation,
  SearchFilters,
} from '../../../../src-main/shared/types';
import { baseName } from '../../format';

/**
 * What the filter bar holds: one value per control, '' for "any". Dates are the date inputs'
 * "YYYY-MM-DD"; both ends are inclusive days, in the photos' floating time ([Note: Capture time]:
 * a capture time is its wall clock read as UTC, so a day is a UTC day).
 */
export interface FilterState {
  folder: string;
  from: string;
  to: string;
  camera: string;
  format: ImageFormat | '';
  orientation: PhotoOrientation | '';
  location: 'with' | 'without' | '';
}

export type FilterKey = keyof FilterState;

export const NO_FILTERS: FilterState = {
  folder: '',
  from: '',
  to: '',
  camera: '',
  format: '',
  orientation: '',
  location: '',
};

const DAY_MS = 86_400_000;

/** The search options for the active filters; absent keys for the inactive ones. */
export function toSearchFilters(state: FilterState): SearchFilters {
  const filters: SearchFilters = {};
  if (state.folder) filters.folders = [state.folder];
  const after = dayStart(state.from);
  const before = dayStart(state.to);
  if (after !== null) filters.after = after;
  if (before !== null) filters.before = before + DAY_MS;
  if (state.camera) filters.cameras = [state.camera];
  if (state.format) filters.formats = [state.format];
  if (state.orientation) filters.orientation = state.orientation;
  if (state.location) filters.hasLocation = state.location === 'with';
  return filters;
}

export interface FilterChip {
  key: FilterKey;
  label: string;
}

/** One removable chip per active filter, in the bar's order. */
export function filterChips(state: FilterState): FilterChip[] {
  const chips: FilterChip[] = [];
  if (state.folder) chips.push({ key: 'folder', label: `In ${baseName(state.folder)}` });
  if (state.from) chips.push({ key: 'from', label: `From ${state.from}` });
  if (state.to) chips.push({ key: 'to', label: `To ${state.to}` });
  if (state.camera) chips.push({ key: 'camera', label: state.camera });
  if (state.format) chips.push({ key: 'format', label: formatLabel(state.format) });
  if (state.orientation) chips.push({ key: 'orientation', label: capitalise(state.orientation) });
  if (state.location) {
    chips.push({
      key: 'location',
      label: state.location === 'with' ? 'Has location' : 'No location',
    });
  }
  return chips;
}

export function formatLabel(format: ImageFormat): string {
  return format === 'raw' ? 'Camera raw' : format.toUpperCase();
}

export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The facets of an empty library, while the real ones load. */
export const NO_FACETS: LibraryFacets = {
  photos: 0,
  cameras: [],
  formats: [],
  orientations: [],
  withLocation: 0,
  dateSpan: null,
};

/** The UTC day of a capture time, as date inputs write it ("YYYY-MM-DD"). */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function dayStart(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}
