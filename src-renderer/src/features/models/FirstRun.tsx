import type { ModelSummary } from '../../../../src-main/shared/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { baseName, formatBytes } from '../../format';
import type { ModelDownload } from './use-model-download';

/**
 * [Note: First run] Without a model nothing can be indexed or searched, so the first screen
 * offers exactly one thing: the one-time download of the default model (the registry lists it
 * first), with progress. It is the only network use of the app.
 */
export function FirstRun({
  models,
  download,
}: {
  models: ModelSummary[];
  download: ModelDownload;
}) {
  const model = models.find((candidate) => candidate.source === 'registry');
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
