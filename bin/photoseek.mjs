#!/usr/bin/env node
// Launcher for the Photoseek CLI: checks the Node version (better-sqlite3 needs Node >= 22) and
// runs the TypeScript sources through tsx.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `photoseek: needs Node 22 or newer, this is ${process.version}. ` +
      'Run it as `npx photoseek …` or `npm run cli -- …` inside the project: they use the Node 24 that `npm ci` installs.',
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src-main/cli/main.ts');
