#!/usr/bin/env node
// `cardfleet-agent`: runs the CLI (and the daemon, `start`) built into dist/ by
// `npm run build` (scripts/build.mjs; the root postinstall runs it). In a repository
// checkout a stale or missing build is rebuilt first; an installed package ships dist/.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin/main.js', import.meta.url);
if (existsSync(new URL('../src/', import.meta.url))) {
  const { ensureBuilt } = await import('../../scripts/build-freshness.mjs');
  await ensureBuilt('agent');
}
if (!existsSync(built)) {
  process.stderr.write(
    `cardfleet-agent is not built: ${built.pathname} is missing (run \`npm run build\` in the repository) [NOT_BUILT]\n`,
  );
  process.exit(2);
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
