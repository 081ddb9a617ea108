import { useState } from 'react';
import type { ModelSummary } from '../../../../src-main/shared/types';
import { InlineConfirm } from '../../components/InlineConfirm';
import { formatBytes, plural } from '../../format';

export interface ModelListProps {
  models: ModelSummary[];
  onUse: (model: ModelSummary) => void;
  onRemove: (model: ModelSummary) => void;
}

/**
 * Every model the app knows, installed or not, with what it can do, its licence, its size and its
 * vectors in this library; an installed one can be chosen, and one not in use removed (after an
 * inline confirmation that says what goes: its vectors here, its downloaded files).
 */
export function ModelList({ models, onUse, onRemove }: ModelListProps) {
  return (
    <ul className="model-list" aria-label="Models">
      {models.map((model) => (
        <ModelRow key={model.id} model={model} onUse={onUse} onRemove={onRemove} />
      ))}
    </ul>
  );
}

function ModelRow({
  model,
  onUse,
  onRemove,
}: {
  model: ModelSummary;
  onUse: (model: ModelSummary) => void;
  onRemove: (model: ModelSummary) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const removable = !model.active && (model.installed || model.libraryVectors !== null);
  return (
    <li className="model-row" aria-label={model.name}>
      <div className="model-row-head">
        <span className="model-row-name">{model.name}</span>
        <span className={`model-state model-state-${modelState(model)}`}>
          {STATE_LABELS[modelState(model)]}
        </span>
      </div>
      <p className="model-row-meta">
        {model.textSearch ? 'Words and images' : 'Image only (no text search)'} ·{' '}
        {model.embeddingDim}-d ·{' '}
        {model.source === 'local'
          ? 'local folder'
          : model.bytes !== null
            ? formatBytes(model.bytes)
            : 'registry'}
      </p>
      <p className="model-row-meta">
        {model.licence
          ? `Licence: ${model.licence.name}${model.licence.commercialUse ? '' : ' — non-commercial research use only'}`
          : 'Licence: not stated by the model folder'}
      </p>
      {model.libraryVectors && (
        <p className="model-row-meta">
          In this library: {plural(model.libraryVectors.photos, 'photo', 'photos')}, about{' '}
          {formatBytes(model.libraryVectors.bytes)}
        </p>
      )}
      {confirming ? (
        <InlineConfirm
          className="model-row-confirm"
          question={removalWarning(model)}
          action="Remove"
          onConfirm={() => {
            setConfirming(false);
            onRemove(model);
          }}
          onKeep={() => setConfirming(false)}
        />
      ) : (
        (removable || (model.installed && !model.active)) && (
          <div className="button-row">
            {model.installed && !model.active && (
              <button type="button" className="button button-small" onClick={() => onUse(model)}>
                Use {model.name}
              </button>
            )}
            {removable && (
              <button
                type="button"
                className="button button-small"
                aria-label={`Remove ${model.name}`}
                onClick={() => setConfirming(true)}
              >
                Remove…
              </button>
            )}
          </div>
        )
      )}
    </li>
  );
}

type ModelState = 'active' | 'installed' | 'available';

const STATE_LABELS: Record<ModelState, string> = {
  active: 'In use',
  installed: 'Installed',
  available: 'Not installed',
};

function modelState(model: ModelSummary): ModelState {
  if (model.active) return 'active';
  return model.installed ? 'installed' : 'available';
}

function removalWarning(model: ModelSummary): string {
  const vectors = model.libraryVectors
    ? `its vectors of ${plural(model.libraryVectors.photos, 'photo', 'photos')} (about ${formatBytes(model.libraryVectors.bytes)})`
    : null;
  const files = !model.installed
    ? null
    : model.source === 'local'
      ? 'The model folder stays on disk.'
      : 'Its downloaded files are deleted; it can be downloaded again.';
  return [`Remove ${model.name}${vectors ? ` and ${vectors}` : ''}?`, files]
    .filter(Boolean)
    .join(' ');
}
