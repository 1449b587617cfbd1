// The agent package's postinstall: applies the repository's pkcs11js patch
// (patches/pkcs11js+<version>.patch, shipped in dist/patches/) to the pkcs11js that npm
// installed with the agent, then rebuilds its native binding. The patch lets a Buffer
// reach the PKCS#11 module byte for byte, which binary Card Manager Keys need
// (docs/edge-agent.md, "Build and install"). In the repository itself the root
// postinstall applies the same patch with patch-package, so this does nothing there.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (text) => process.stdout.write(`cardfleet-agent postinstall: ${text}\n`);

if (!packageDir.split(sep).includes('node_modules')) {
  say('repository checkout, the root postinstall patches pkcs11js');
  process.exit(0);
}

const pkcs11jsDir = dirname(createRequire(join(packageDir, 'package.json')).resolve('pkcs11js/package.json'));
const { version } = JSON.parse(readFileSync(join(pkcs11jsDir, 'package.json'), 'utf8'));
const patchFile = join(packageDir, 'dist/patches', `pkcs11js+${version}.patch`);
if (!existsSync(patchFile)) {
  process.stderr.write(`cardfleet-agent postinstall: no patch for pkcs11js ${version} (${patchFile})\n`);
  process.exit(1);
}

let changed = false;
for (const { path, hunks } of parsePatch(readFileSync(patchFile, 'utf8'))) {
  const file = join(pkcs11jsDir, path);
  let text = readFileSync(file, 'utf8');
  for (const { before, after } of hunks) {
    if (text.includes(after) && !text.includes(before)) continue; // applied already
    const at = text.indexOf(before);
    if (at < 0 || text.indexOf(before, at + 1) >= 0) {
      process.stderr.write(`cardfleet-agent postinstall: the patch does not fit ${file}\n`);
      process.exit(1);
    }
    text = text.slice(0, at) + after + text.slice(at + before.length);
    changed = true;
  }
  writeFileSync(file, text);
}

if (!changed) {
  say(`pkcs11js ${version} is patched already`);
  process.exit(0);
}
// npm names its own node-gyp to install scripts; pkcs11js is built with it as npm did.
const nodeGyp = process.env.npm_config_node_gyp;
if (nodeGyp) execFileSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: pkcs11jsDir, stdio: 'inherit' });
else execFileSync('npx', ['--yes', 'node-gyp', 'rebuild'], { cwd: pkcs11jsDir, stdio: 'inherit' });
say(`pkcs11js ${version} patched and rebuilt (binary PINs and Card Manager Keys as Buffers)`);

/** The files and hunks of a unified diff as patch-package writes it (paths under node_modules/pkcs11js/). */
function parsePatch(patch) {
  const files = [];
  let hunk;
  for (const line of patch.split('\n')) {
    const header = /^diff --git a\/node_modules\/pkcs11js\/(\S+) /.exec(line);
    if (header) {
      files.push({ path: header[1], hunks: [] });
      hunk = undefined;
    } else if (line.startsWith('@@')) {
      hunk = { before: [], after: [] };
      files.at(-1).hunks.push(hunk);
    } else if (hunk && (line.startsWith(' ') || line.startsWith('-') || line.startsWith('+'))) {
      // (the `--- a/` and `+++ b/` headers come before the first @@, while no hunk is open)
      if (line[0] !== '+') hunk.before.push(line.slice(1));
      if (line[0] !== '-') hunk.after.push(line.slice(1));
    }
  }
  return files.map(({ path, hunks }) => ({
    path,
    hunks: hunks.map((h) => ({ before: h.before.join('\n'), after: h.after.join('\n') })),
  }));
}
