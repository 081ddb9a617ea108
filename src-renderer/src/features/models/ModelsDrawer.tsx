import type { ModelSummary } from '../../../../src-main/shared/types';
import { Icon } from '../../components/Icon';
import { useModalDialog } from '../../hooks/use-modal-dialog';
import { CompareModels } from './CompareModels';
import { ModelList } from './ModelList';
import { useCompareModels } from './use-compare-models';

export interface ModelsDrawerProps {
  models: ModelSummary[];
  onClose: () => void;
  onUse: (model: ModelSummary) => void;
  onRemove: (model: ModelSummary) => void;
  onAddFolder: () => void;
}

/**
 * Models, as `photoseek models list` shows them, with the actions of `models use / remove / add`
 * and `eval`: every model with its licence and size, adding a local model folder (an image-only
 * embedder or a CLIP-family export, proven by a probe inference in the core), and Compare models.
 */
export function ModelsDrawer({ models, onClose, onUse, onRemove, onAddFolder }: ModelsDrawerProps) {
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
        <ModelList models={models} onUse={onUse} onRemove={onRemove} />
        <div className="drawer-section">
          <button type="button" className="button button-small" onClick={onAddFolder}>
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
