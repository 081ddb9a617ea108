import type { Notify } from '../notices/use-notice';
import { useUpdateCheck } from './use-update-check';

/** The sidebar's Updates section: the opt-in check, explained in one sentence, and what it found. */
export function UpdateCheckSetting({ notify }: { notify: Notify }) {
  const { state, setEnabled, openUpdatePage } = useUpdateCheck(notify);
  if (!state) return null;
  return (
    <section className="sidebar-section" aria-label="Updates">
      <h2>Updates</h2>
      <label className="checkbox-row">
        <input
          type="checkbox"
          checked={state.enabled}
          aria-describedby="update-check-explained"
          onChange={(event) => setEnabled(event.target.checked)}
        />
        Check for a new version
      </label>
      <p id="update-check-explained" className="setting-explained">
        Once a day, this sends one request to {state.host}; nothing about your library.
      </p>
      {state.enabled &&
        (state.available ? (
          <p>
            Version {state.available.version} is available.{' '}
            <button type="button" className="link-button" onClick={openUpdatePage}>
              Download
            </button>
          </p>
        ) : state.problem ? (
          <p className="setting-problem">{state.problem}</p>
        ) : (
          state.lastCheck !== null && <p>{state.currentVersion} is the latest version.</p>
        ))}
    </section>
  );
}
