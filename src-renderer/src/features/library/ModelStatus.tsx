import type { ReactNode } from 'react';
import type { LibraryStatus, ModelSummary } from '../../../../src-main/shared/types';
import { ProgressBar } from '../../components/ProgressBar';
import { providerLabel } from './provider-label';

export interface ModelStatusProps {
  active: ModelSummary | null;
  installed: ModelSummary[];
  provider: string | null;
  /** A model switch in progress ([Note: Switching models]): search still uses the old model. */
  switching: LibraryStatus['switching'];
  onUse: (modelId: string) => void;
  /** More about models, under the one in use (getting another one). */
  children?: ReactNode;
}

/** The model in use and where it runs; another installed model can be picked. */
export function ModelStatus({
  active,
  installed,
  provider,
  switching,
  onUse,
  children,
}: ModelStatusProps) {
  return (
    <section className="sidebar-section" aria-label="Model">
      <h2>Model</h2>
      {installed.length > 1 && active ? (
        <select
          className="select"
          aria-label="Model in use"
          value={active.id}
          onChange={(event) => onUse(event.target.value)}
        >
          {installed.map((model) => (
            <option key={model.id} value={model.id}>
              {model.name}
            </option>
          ))}
        </select>
      ) : (
        <p className="model-name">{active?.name ?? 'No model installed'}</p>
      )}
      {switching && (
        <div className="model-switching">
          <p className="model-provider">
            Switching model: {switching.embedded.toLocaleString()} of{' '}
            {switching.total.toLocaleString()} re-embedded. Search uses {switching.searchModel}{' '}
            until then.
          </p>
          <ProgressBar value={switching.embedded} total={switching.total} label="Switching model" />
        </div>
      )}
      {active && !active.textSearch && <p className="model-provider">Image only: no text search</p>}
      <p className="model-provider">
        Runs on: {provider ? providerLabel(provider) : 'shown once the model is loaded'}
      </p>
      {children}
    </section>
  );
}
