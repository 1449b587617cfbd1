#!/usr/bin/env node
// Runs the TypeScript admin CLI directly (tsx), so the repo needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  isTTY: process.stdout.isTTY === true,
  stderr: (text) => process.stderr.write(text),
});
