import { useState } from 'react';
import type { ModelSummary } from '../../../../src-main/shared/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes } from '../../format';
import type { ModelDownload } from './use-model-download';

/**
 * Another model from the registry, after the first run: its size and licence are shown before
 * the one-time, checksum-verified download ([Note: First run]); once installed it can be chosen
 * in the model list, and search moves to it when its index is complete ([Note: Switching models]).
 */
export function GetModel({
  models,
  download,
}: {
  models: ModelSummary[];
  download: ModelDownload;
}) {
  const available = models.filter((model) => model.source === 'registry' && !model.installed);
  const [chosenId, setChosenId] = useState<string | null>(null);
  // Rendered only while open: a closed <details> would still hold the <option>s of its list.
  const [open, setOpen] = useState(false);
  const chosen = available.find((model) => model.id === chosenId) ?? available[0];
  if (!chosen && !download.downloading) return null;
  return (
    <details
      className="get-model"
      open={open || download.downloading}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>Get another model…</summary>
      {(open || download.downloading) && (
        <div className="get-model-body">
          {chosen && (
            <select
              className="select"
              aria-label="Model to download"
              value={chosen.id}
              disabled={download.downloading}
              onChange={(event) => setChosenId(event.target.value)}
            >
              {available.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.name}
                  {model.bytes !== null ? ` · ${formatBytes(model.bytes)}` : ''}
                </option>
              ))}
            </select>
          )}
          {chosen?.licence && (
            <p
              className={
                chosen.licence.commercialUse
                  ? 'model-licence'
                  : 'model-licence model-licence-restricted'
              }
            >
              Licence: {chosen.licence.name}
              {!chosen.licence.commercialUse && ' — non-commercial research use only'}
            </p>
          )}
          {download.downloading ? (
            <ProgressBar
              value={download.receivedBytes}
              total={download.totalBytes}
              label="Model download"
            />
          ) : (
            chosen && (
              <button type="button" className="button" onClick={() => download.download(chosen)}>
                Download
              </button>
            )
          )}
          {download.error && (
            <ErrorMessage title="The download did not finish" message={download.error} />
          )}
        </div>
      )}
    </details>
  );
}
