#!/usr/bin/env node
// `cardfleet`: runs the admin CLI built into dist/ by `npm run build` (scripts/build.mjs;
// the root postinstall runs it). A stale or missing build is rebuilt first.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(new URL('../src/', import.meta.url))) {
  const { ensureBuilt } = await import('../../scripts/build-freshness.mjs');
  await ensureBuilt('cloud-cli');
}
if (!existsSync(built)) {
  process.stderr.write(
    `cardfleet is not built: ${built.pathname} is missing (run \`npm run build\`) [NOT_BUILT]\n`,
  );
  process.exit(2);
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  isTTY: process.stdout.isTTY === true,
  stderr: (text) => process.stderr.write(text),
});
