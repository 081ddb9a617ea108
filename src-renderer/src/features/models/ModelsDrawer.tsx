import type { ModelSummary } from '../../../../src-main/shared/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { useModalDialog } from '../../hooks/use-modal-dialog';
import { CompareModels } from './CompareModels';
import { ModelList } from './ModelList';
import { useCompareModels } from './use-compare-models';
import type { ModelActions } from './use-model-actions';

export interface ModelsDrawerProps {
  models: ModelSummary[];
  onClose: () => void;
  onUse: (model: ModelSummary) => void;
  actions: ModelActions;
}

/**
 * Models, as `photoseek models list` shows them, with the actions of `models use / remove / add`
 * and `eval`: every model with its licence and size, adding a local model folder (an image-only
 * embedder or a CLIP-family export, proven by a probe inference in the core), and Compare models.
 */
export function ModelsDrawer({ models, onClose, onUse, actions }: ModelsDrawerProps) {
  const { dialogRef, onCancel } = useModalDialog(onClose);
  const comparison = useCompareModels();
  return (
    <dialog
      ref={dialogRef}
      className="drawer drawer-wide"
      aria-label="Models"
      tabIndex={-1}
      onCancel={onCancel}
    >
      <div className="drawer-header">
        <h2>Models</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="drawer-body">
        <p className="drawer-intro">
          A model turns each photo into a vector. Switching re-embeds the library in the background,
          and search keeps the previous model until that is done.
        </p>
        <ModelList models={models} onUse={onUse} onRemove={actions.remove} />
        <div className="drawer-section">
          <div role="status">
            {actions.outcome?.kind === 'info' && (
              <p className="model-outcome">{actions.outcome.message}</p>
            )}
          </div>
          {actions.outcome?.kind === 'error' && (
            <ErrorMessage title="That did not work" message={actions.outcome.message} />
          )}
          <button type="button" className="button button-small" onClick={actions.addFolder}>
            <Icon name="folder-plus" /> Add a model folder…
          </button>
          <p className="drawer-note">
            A folder with a photoseek-model.json beside its ONNX files: an image-only embedder or a
            CLIP-family export. It is checked with one test photo before it is added.
          </p>
        </div>
        <CompareModels
          installed={models.filter((model) => model.installed)}
          comparison={comparison}
        />
      </div>
    </dialog>
  );
}
