import { useState } from 'react';
import type { ModelSummary } from '../../../../src-main/shared/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { baseName, formatBytes } from '../../format';
import type { ModelDownload } from './use-model-download';

/**
 * [Note: First run] Without a model nothing can be indexed or searched, so the first screen
 * offers exactly one thing: the one-time download of a model, with progress. The default (the
 * registry lists it first) is chosen; the others are one click away, each with its size and
 * licence shown before anything is downloaded (MobileCLIP's weights are for research only). It is
 * the only network use of the app.
 */
export function FirstRun({
  models,
  download,
}: {
  models: ModelSummary[];
  download: ModelDownload;
}) {
  const choices = models.filter((candidate) => candidate.source === 'registry');
  const [chosenId, setChosenId] = useState<string | null>(null);
  const model = choices.find((candidate) => candidate.id === chosenId) ?? choices[0];
  return (
    <section className="first-run" aria-label="Welcome">
      <h1>Welcome to Photoseek</h1>
      <p>
        Photoseek finds photos by what is in them — “dog on a beach”, “receipts”, “red car at night”
        — on this computer. Your photos never leave it.
      </p>
      <ol className="first-run-steps">
        <li>
          <strong>Download the search model.</strong> It is downloaded once, checked against its
          published checksum and kept on this computer.
          {choices.length > 1 && (
            <fieldset className="first-run-choices" disabled={download.downloading}>
              <legend>Search model</legend>
              {choices.map((choice) => (
                <label key={choice.id} className="first-run-choice">
                  <input
                    type="radio"
                    name="model"
                    value={choice.id}
                    checked={choice.id === model?.id}
                    onChange={() => setChosenId(choice.id)}
                  />
                  <span className="first-run-choice-name">
                    {choice.name}
                    {choice.bytes !== null && ` · ${formatBytes(choice.bytes)}`}
                  </span>
                  {choice.licence && (
                    <span
                      className={
                        choice.licence.commercialUse
                          ? 'first-run-licence'
                          : 'first-run-licence first-run-licence-restricted'
                      }
                    >
                      {choice.licence.name}
                      {!choice.licence.commercialUse && ': non-commercial research use only'}
                    </span>
                  )}
                </label>
              ))}
            </fieldset>
          )}
          {model && (
            <div className="first-run-model">
              <span>
                {model.name}
                {model.bytes !== null && ` · ${formatBytes(model.bytes)}`}
              </span>
              {download.downloading ? (
                <div className="first-run-progress">
                  <ProgressBar
                    value={download.receivedBytes}
                    total={download.totalBytes}
                    label="Model download"
                  />
                  <span>
                    {formatBytes(download.receivedBytes)}
                    {download.totalBytes !== null && ` of ${formatBytes(download.totalBytes)}`}
                    {download.currentFile && ` · ${baseName(download.currentFile)}`}
                  </span>
                </div>
              ) : (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => download.download(model)}
                >
                  <Icon name="download" /> {download.error ? 'Try again' : 'Download model'}
                </button>
              )}
            </div>
          )}
          {download.error && (
            <ErrorMessage title="The download did not finish" message={download.error} />
          )}
        </li>
        <li>
          <strong>Add your photo folders.</strong> Photoseek indexes them in the background and
          keeps watching them.
        </li>
      </ol>
    </section>
  );
}
