import type { ReactNode } from 'react';
import type { LibraryStatus, ModelSummary } from '../../../../src-main/shared/types';
import { Icon } from '../../components/Icon';
import { plural } from '../../format';
import { FolderRow } from './FolderRow';
import { IndexingStatus } from './IndexingStatus';
import { GetModel } from '../models/GetModel';
import type { ModelDownload } from '../models/use-model-download';
import { ModelStatus } from './ModelStatus';
import type { FolderActions } from './use-folder-actions';
import type { Indexing } from './use-indexing';

export interface LibraryPanelProps {
  status: LibraryStatus;
  models: ModelSummary[];
  indexing: Indexing;
  folderActions: FolderActions;
  onUseModel: (modelId: string) => void;
  onShowFailures: () => void;
  /** Opens the models drawer: every model, adding a model folder, comparing models. */
  onManageModels: () => void;
  modelDownload: ModelDownload;
  /** More sections at the end (the app's settings). */
  children?: ReactNode;
}

/** The sidebar: folders, indexing progress, files that failed, and the model in use. */
export function LibraryPanel({
  status,
  models,
  indexing,
  folderActions,
  onUseModel,
  onShowFailures,
  onManageModels,
  modelDownload,
  children,
}: LibraryPanelProps) {
  const currentFile = indexing.state === 'running' ? indexing.progress?.currentFile : null;
  return (
    <aside className="sidebar" aria-label="Library">
      <section className="sidebar-section" aria-label="Folders">
        <h2>Library</h2>
        <p className="library-summary">
          {plural(status.photos, 'photo', 'photos')} in{' '}
          {plural(status.folders.length, 'folder', 'folders')}
        </p>
        <ul className="folder-list">
          {status.folders.map((folder) => (
            <FolderRow
              key={folder.id}
              folder={folder}
              indexingNow={!!currentFile && isInside(currentFile, folder.path)}
              onRemove={folderActions.remove}
            />
          ))}
        </ul>
        <button type="button" className="button" onClick={folderActions.add}>
          <Icon name="folder-plus" /> Add folder…
        </button>
      </section>
      <IndexingStatus
        indexing={indexing}
        hasFolders={status.folders.length > 0}
        queued={status.queued}
        onShowFailures={onShowFailures}
      />
      {status.failures > 0 && (
        <section className="sidebar-section" aria-label="Failures">
          <h2>Problems</h2>
          <p>{plural(status.failures, 'file', 'files')} could not be indexed.</p>
          <div className="button-row">
            <button type="button" className="button button-small" onClick={onShowFailures}>
              <Icon name="warning" /> Review
            </button>
          </div>
        </section>
      )}
      <ModelStatus
        active={status.model}
        installed={models.filter((model) => model.installed)}
        provider={indexing.provider ?? status.provider}
        switching={status.switching}
        onUse={onUseModel}
      >
        <GetModel models={models} download={modelDownload} />
        <div className="button-row">
          <button type="button" className="button button-small" onClick={onManageModels}>
            Manage and compare models…
          </button>
        </div>
      </ModelStatus>
      {children}
    </aside>
  );
}

function isInside(file: string, folder: string): boolean {
  return file.startsWith(folder) && /[\\/]/.test(file.charAt(folder.length));
}
