import { EmptyState } from '../../components/EmptyState';

const examples = [
  'sunset over the sea',
  'birthday cake',
  'snowy mountains',
  'beach -people',
  'receipts',
];

/** Example queries to start from, shown above Home's grid while the search box is empty. */
export function QueryExamples({ onPick }: { onPick: (query: string) => void }) {
  return (
    <div className="suggestions query-examples" role="group" aria-label="Example searches">
      <span className="query-examples-label">Try</span>
      {examples.map((example) => (
        <button key={example} type="button" className="chip" onClick={() => onPick(example)}>
          {example}
        </button>
      ))}
    </div>
  );
}

/** In place of the examples for an image-only model, which searches by image only. */
export function ImageSearchHint() {
  return <span className="query-examples-label">Drop an image here to find photos like it.</span>;
}

/** The resting state before any photo is indexed (afterwards it is Home). */
export function NoPhotosYet() {
  return (
    <EmptyState icon="search" title="No photos indexed yet">
      <p>
        Photos can be searched as soon as they are indexed. The Indexing panel shows how far it has
        got.
      </p>
    </EmptyState>
  );
}
