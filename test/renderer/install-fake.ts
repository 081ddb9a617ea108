import { createFakeCore } from './fake-core';
import type { FakeControl } from './fake-core';
import { isScenarioName, scenarios } from './scenarios';

declare global {
  interface Window {
    /** The test's handle on the fake core (see [Note: Fake core]). */
    fake: FakeControl;
  }
}

// Runs before the app's main.tsx (see harness.ts), which reads window.photoseek at start-up.
const requested = new URLSearchParams(window.location.search).get('scenario') ?? 'library';
if (!isScenarioName(requested)) throw new Error(`unknown scenario "${requested}"`);
const { bridge, control } = createFakeCore(scenarios[requested]);
window.photoseek = bridge;
window.fake = control;
