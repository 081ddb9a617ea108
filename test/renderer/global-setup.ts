import type { TestProject } from 'vitest/node';
import { startHarness } from './harness-server';

declare module 'vitest' {
  export interface ProvidedContext {
    harnessUrl: string;
  }
}

/** Builds and serves the harness once for all renderer test files. */
export default async function setup(project: TestProject) {
  const harness = await startHarness();
  project.provide('harnessUrl', harness.url);
  return harness.close;
}
