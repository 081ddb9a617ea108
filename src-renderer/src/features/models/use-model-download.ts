import { useCallback, useEffect, useState } from 'react';
import type { DownloadProgress, ModelSummary } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

export interface ModelDownload {
  downloading: boolean;
  receivedBytes: number;
  /** The model's size from the registry, else the sum of the file sizes seen so far. */
  totalBytes: number | null;
  currentFile: string | null;
  error: string | null;
  download: (model: ModelSummary) => void;
}

/** Downloads a registry model, adding up the per-file 'models.downloadProgress' events. */
export function useModelDownload(onInstalled: () => void): ModelDownload {
  const bridge = useBridge();
  const [model, setModel] = useState<ModelSummary | null>(null);
  const [files, setFiles] = useState<Record<string, DownloadProgress>>({});
  const [currentFile, setCurrentFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      bridge.on('models.downloadProgress', (progress) => {
        setFiles((previous) => ({ ...previous, [progress.file]: progress }));
        setCurrentFile(progress.file);
      }),
    [bridge],
  );

  const download = useCallback(
    (chosen: ModelSummary) => {
      setModel(chosen);
      setFiles({});
      setError(null);
      bridge.core['models.download'](chosen.id).then(
        () => {
          setModel(null);
          onInstalled();
        },
        (cause: unknown) => {
          setModel(null);
          setError(errorMessage(cause));
        },
      );
    },
    [bridge, onInstalled],
  );

  const progress = Object.values(files);
  const receivedBytes = progress.reduce((sum, file) => sum + file.receivedBytes, 0);
  const seenBytes = progress.reduce((sum, file) => sum + file.totalBytes, 0);
  return {
    downloading: model !== null,
    receivedBytes,
    totalBytes: model?.bytes ?? (seenBytes || null),
    currentFile,
    error,
    download,
  };
}
