import { joinQueryTerms, splitQueryTerms } from '../../../../src-main/shared/query-terms';
import { Icon } from '../../components/Icon';
import type { FilterChip, FilterKey } from './filter-state';

export interface FilterChipsProps {
  chips: readonly FilterChip[];
  onRemove: (key: FilterKey) => void;
  onClearAll: () => void;
  text: string;
  onTextChange: (text: string) => void;
}

/**
 * The active filters and the query's "-" terms as chips, each with its own remove button (in tab
 * order). A "-" term is part of the query text (one grammar with the CLI: shared/query-terms.ts):
 * removing its chip rewrites the text without it.
 */
export function FilterChips({ chips, onRemove, onClearAll, text, onTextChange }: FilterChipsProps) {
  const parsed = splitQueryTerms(text);
  if (chips.length === 0 && parsed.negatives.length === 0) return null;
  const withoutTerm = (index: number) =>
    joinQueryTerms({ ...parsed, negatives: parsed.negatives.filter((_term, i) => i !== index) });
  return (
    <ul className="filter-chips" aria-label="Active filters">
      {chips.map((chip) => (
        <li key={chip.key} className="filter-chip">
          <span>{chip.label}</span>
          <button
            type="button"
            className="filter-chip-remove"
            aria-label={`Remove filter: ${chip.label}`}
            onClick={() => onRemove(chip.key)}
          >
            <Icon name="close" />
          </button>
        </li>
      ))}
      {parsed.negatives.map((term, index) => (
        <li key={`${index}:${term}`} className="filter-chip filter-chip-negative">
          <span>
            <span aria-hidden="true">−</span>
            <span className="filter-visually-hidden">without </span>
            {term}
          </span>
          <button
            type="button"
            className="filter-chip-remove"
            aria-label={`Remove excluded term: ${term}`}
            onClick={() => onTextChange(withoutTerm(index))}
          >
            <Icon name="close" />
          </button>
        </li>
      ))}
      {chips.length > 1 && (
        <li>
          <button type="button" className="link-button" onClick={onClearAll}>
            Clear filters
          </button>
        </li>
      )}
    </ul>
  );
}
