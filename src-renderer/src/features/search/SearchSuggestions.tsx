import { EmptyState } from '../../components/EmptyState';
import { plural } from '../../format';

const examples = [
  'sunset over the sea',
  'birthday cake',
  'snowy mountains',
  'beach -people',
  'receipts',
];

/**
 * The resting state: what can be searched, with example queries to start from (none for an
 * image-only model, which searches by image only).
 */
export function SearchSuggestions({
  photoCount,
  textSearch,
  onPick,
}: {
  photoCount: number;
  textSearch: boolean;
  onPick: (query: string) => void;
}) {
  if (photoCount === 0) {
    return (
      <EmptyState icon="search" title="No photos indexed yet">
        <p>
          Photos can be searched as soon as they are indexed. The Indexing panel shows how far it
          has got.
        </p>
      </EmptyState>
    );
  }
  if (!textSearch) {
    return (
      <EmptyState icon="search" title={`Search ${plural(photoCount, 'photo', 'photos')} by image`}>
        <p>Drop an image here to find photos like it.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState icon="search" title={`Search ${plural(photoCount, 'photo', 'photos')}`}>
      <p>
        Describe what is in the picture, in your own words. Or drop an image here to find photos
        like it.
      </p>
      <div className="suggestions">
        {examples.map((example) => (
          <button key={example} type="button" className="chip" onClick={() => onPick(example)}>
            {example}
          </button>
        ))}
      </div>
    </EmptyState>
  );
}
