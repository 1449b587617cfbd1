#!/usr/bin/env node
// `npm run cloud`: the local cloud server (cloud/src/node/cloud-main.ts) as built into
// dist/ by `npm run build` (scripts/build.mjs); rebuilt first when its sources changed.
import { ensureBuilt } from '../../scripts/build-freshness.mjs';

await ensureBuilt('cloud-server');
await import('../dist/node/cloud-main.js');
