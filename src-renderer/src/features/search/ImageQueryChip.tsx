import { Icon } from '../../components/Icon';
import type { ImageQuery } from './search-request';

/** Shows which image the results are similar to, with a button to go back to text search. */
export function ImageQueryChip({ query, onClear }: { query: ImageQuery; onClear: () => void }) {
  return (
    <div className="image-query">
      <img src={query.previewUrl} alt="" className="image-query-preview" />
      <span>
        Similar to <strong>{query.label}</strong>
      </span>
      <button
        type="button"
        className="icon-button"
        aria-label="Clear image search"
        onClick={onClear}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
