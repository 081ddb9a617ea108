import { useEffect, useState } from 'react';
import type { PhotoDetails } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

type Answer =
  | { photoId: number; details: PhotoDetails; error: null }
  | { photoId: number; details: null; error: string };

/** The full record of one photo; null while it loads (see [Note: Stale answers]). */
export function usePhotoDetails(photoId: number): {
  details: PhotoDetails | null;
  error: string | null;
} {
  const { core } = useBridge();
  const [answer, setAnswer] = useState<Answer | null>(null);
  useEffect(() => {
    let current = true;
    core['photos.get'](photoId).then(
      (details) => {
        if (current) setAnswer({ photoId, details, error: null });
      },
      (error: unknown) => {
        if (current) setAnswer({ photoId, details: null, error: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [core, photoId]);
  if (answer?.photoId !== photoId) return { details: null, error: null };
  return { details: answer.details, error: answer.error };
}
