#!/usr/bin/env node
// `npm run build` (also run by the root postinstall, so `npm ci` leaves a working build):
// bundles the command-line entries from TypeScript into JavaScript with esbuild, so the
// installed commands start without compiling TypeScript at each start (docs/edge-agent.md,
// "Build and install"). Tests and `tsx` scripts keep importing the TypeScript sources directly.
//
//   node scripts/build.mjs            every target
//   node scripts/build.mjs agent      one target (agent | cloud-cli | cloud-server | console)
//   BUILD_META=meta.json node scripts/build.mjs agent   also writes esbuild's metafile
//                                     (which source went into which chunk, and its size)
//
// The AWS Lambda handlers are not built here: SST bundles each handler named in
// sst.config.ts from its TypeScript source itself.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole } from './build-console.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Name of the file, in each target's directory, that lists what the build was made from. */
export const STAMP = 'build-inputs.json';

const readJson = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const runtimeDependencies = (packageFile) => {
  const pkg = readJson(packageFile);
  return Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter(
    (name) => !name.startsWith('@cardfleet/'),
  );
};

/**
 * The targets. Each is written to one folder two deep in its package (dist/bin/,
 * dist/node/), entry and chunks side by side, on purpose: the sources read their package's
 * version with `new URL('../../package.json', import.meta.url)`, which then still names the
 * package's own package.json, in the repository and in an installed package alike.
 *
 * `external` is what stays an import resolved at run time; everything else, the shared
 * workspace package included, is bundled into the output.
 */
export const TARGETS = {
  // The edge agent's CLI and daemon (`cardfleet-agent start`), packed with `npm pack`:
  // the packages its package.json lists as dependencies (native bindings, mqtt) are
  // installed with it; everything else is bundled, so the tarball needs no workspace.
  agent: {
    directory: 'edge-agent/dist/bin',
    packageFile: 'edge-agent/package.json',
    entryPoints: { main: 'edge-agent/src/cli/main.ts' },
    external: () => runtimeDependencies('edge-agent/package.json'),
    // Travelling with the package: the pkcs11js patch, which its postinstall applies
    // (edge-agent/install/apply-pkcs11js-patch.mjs), and the systemd unit with its doc.
    copy: {
      ...Object.fromEntries(
        readdirSync(join(root, 'patches'))
          .filter((name) => name.startsWith('pkcs11js+'))
          .map((name) => [`patches/${name}`, `edge-agent/dist/patches/${name}`]),
      ),
      'examples/systemd/cardfleet-agent.service': 'edge-agent/dist/systemd/cardfleet-agent.service',
      'docs/agent-service.md': 'edge-agent/dist/docs/agent-service.md',
    },
  },
  // The admin CLI: runs from the repository, with its node_modules beside it; the AWS SDK
  // clients stay external (large, and loaded only by the commands that need them).
  'cloud-cli': {
    directory: 'cloud/dist/cli',
    packageFile: 'cloud/package.json',
    entryPoints: { main: 'cloud/src/cli/main.ts' },
    external: () => ['@aws-sdk/*'],
  },
  // The local cloud server (`npm run cloud`): a long-running process, so start-up time
  // matters little; its CommonJS dependencies (dynalite, aedes) stay external.
  'cloud-server': {
    directory: 'cloud/dist/node',
    packageFile: 'cloud/package.json',
    entryPoints: { 'cloud-main': 'cloud/src/node/cloud-main.ts' },
    external: () => runtimeDependencies('cloud/package.json'),
  },
};

const CJS_NAMESPACES = ['pkcs11js'];
const NAMESPACE_IMPORT = /^import \* as (\w+) from '([^']+)';$/gm;

/** Bare imports not in `external` are bundled; workspace and relative imports always are. */
function externalsPlugin(external) {
  const builtins = new Set(builtinModules);
  const patterns = external.map((name) =>
    name.endsWith('/*')
      ? (id) => id.startsWith(name.slice(0, -1))
      : (id) => id === name || id.startsWith(`${name}/`),
  );
  return {
    name: 'cardfleet-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const id = args.path;
        if (id.startsWith('node:') || builtins.has(id)) return { path: id, external: true };
        if (patterns.some((matches) => matches(id))) return { path: id, external: true };
        return undefined;
      });
      // Node gives an ES module importing a CommonJS package only the names its lexer
      // finds; pkcs11js exports the native binding's constants (`module.exports =
      // { ...pkcs11, PKCS11 }`), which it cannot see. A namespace import of such a package
      // is bundled as a default import (the whole `module.exports`), still an `import`,
      // so it loads only where the importing chunk does.
      build.onLoad({ filter: /\/(shared|cloud|edge-agent)\/src\/.*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const rewritten = text.replace(NAMESPACE_IMPORT, (whole, name, id) =>
          CJS_NAMESPACES.includes(id) ? `import ${name} from '${id}';` : whole,
        );
        return rewritten === text ? undefined : { contents: rewritten, loader: 'ts' };
      });
    },
  };
}

export async function buildTarget(name) {
  if (name === 'console') return buildConsole(root, STAMP);
  const { build } = await import('esbuild');
  const target = TARGETS[name];
  if (!target) throw new Error(`unknown build target ${name} (one of ${Object.keys(TARGETS).join(', ')})`);
  const outdir = join(root, target.directory);
  // Taken before esbuild reads a source, so an edit made during the build counts as newer.
  const startedAt = Date.now();
  for (const dir of [outdir, ...Object.values(target.copy ?? {}).map((to) => dirname(join(root, to)))])
    rmSync(dir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: target.entryPoints,
    outdir,
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Maps for `node --enable-source-maps`; without the sources' text, which would double
    // the package's size.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS packages (pino) call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cfRequire } from 'node:module'; const require = __cfRequire(import.meta.url);",
    },
    plugins: [externalsPlugin(target.external())],
  });
  for (const [from, to] of Object.entries(target.copy ?? {})) {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(join(root, from), join(root, to));
  }
  if (process.env.BUILD_META) writeFileSync(process.env.BUILD_META, JSON.stringify(result.metafile));
  const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules/'));
  writeFileSync(
    join(outdir, STAMP),
    `${JSON.stringify({ builtAt: startedAt, inputs: [...inputs, 'scripts/build.mjs', target.packageFile, ...Object.keys(target.copy ?? {})] }, null, 1)}\n`,
  );
}

/** Every target: the three Node ones above and the web console (scripts/build-console.mjs). */
export const ALL_TARGETS = [...Object.keys(TARGETS), 'console'];

export async function buildAll(names = ALL_TARGETS) {
  for (const name of names) await buildTarget(name);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const names = process.argv.slice(2);
  await buildAll(names.length > 0 ? names : undefined);
  process.stdout.write(
    `built ${(names.length > 0 ? names : ALL_TARGETS).join(', ')} in ${Math.round(performance.now() - started)} ms\n`,
  );
}
