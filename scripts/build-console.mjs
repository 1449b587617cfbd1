// The web console's build (docs/console.md): one esbuild bundle for the browser, its
// style sheet and page shell, written to cloud/dist/console/, which the cloud app serves
// at /console/ (cloud/src/http/console-routes.ts). Run by scripts/build.mjs (target
// `console`), so `npm ci` leaves a console that `npm start` serves.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONSOLE_DIRECTORY = 'cloud/dist/console';

export async function buildConsole(root, stamp) {
  const { build } = await import('esbuild');
  const outdir = join(root, CONSOLE_DIRECTORY);
  const startedAt = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: 'cloud/console/src/main.tsx' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Evergreen browsers an office or an audit team runs today (ES2020 covers them).
    target: ['es2020'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  copyFileSync(join(root, 'cloud/console/index.html'), join(outdir, 'index.html'));
  const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules/'));
  writeFileSync(
    join(outdir, stamp),
    `${JSON.stringify({ builtAt: startedAt, inputs: [...inputs, 'cloud/console/index.html', 'scripts/build-console.mjs'] }, null, 1)}\n`,
  );
}
