import type { z } from 'zod';
import type { SecretSpan } from '../apdu-script/script-ast';
import { parseScript } from '../apdu-script/script-parser';
import { encodingSecretSpans } from '../encoding/secret-spans';
import { CardfleetError } from '../errors/cardfleet-error';
import type { BundleFileSchema } from '../messages/job-claims';
import { bundleSha256 } from './bundle-sha256';

/**
 * Literal secrets of a bundle (a factory Card Manager Key in the `.ini`, the fixed key of
 * a CR line) never cross the broker in clear (docs/messaging.md, "Sealed literals";
 * docs/security.md). At publication the cloud replaces each one — the exact span the
 * parsers mark secret, the same spans the redacted view hides — with a placeholder, and
 * the texts it replaced travel as a JWE to the agent's key beside the secret fields. The
 * agent puts them back before anything parses the bundle and checks the result against
 * the bundle's recorded sha256, so it runs byte for byte what was pushed.
 *
 * A placeholder is `⟦sealed:<nonce>:<n>⟧`: the nonce is drawn per publication and the
 * cloud takes only one that occurs nowhere in the bundle, so no text an author wrote
 * can be taken for a placeholder; the agent restores only its envelope's nonce.
 */
/** A bundle file as the envelope carries it (job-claims.ts). */
export type WireBundleFile = z.infer<typeof BundleFileSchema>;

export interface SealedLiterals {
  /** The bundle's files, every literal secret replaced by its placeholder. */
  files: WireBundleFile[];
  /** Placeholder → the text it stands for, as written; empty when the bundle has none. */
  literals: Record<string, string>;
}

const OPEN = '\u27E6sealed:';
const CLOSE = '\u27E7';
const NONCE = /^[0-9a-f]{16}$/;
const PLACEHOLDER = /^\u27E6sealed:([0-9a-f]{16}):(0|[1-9][0-9]{0,5})\u27E7$/;
/** Draws of a nonce before giving up (each collides with a chance of about 2^-64). */
const NONCE_DRAWS = 4;

export function literalPlaceholder(nonce: string, index: number): string {
  return `${OPEN}${nonce}:${index}${CLOSE}`;
}

/** Where a file's literal secrets are written, as its grammar marks them (none for other files). */
export function literalSecretSpans(name: string, text: string): SecretSpan[] {
  const lower = name.toLowerCase();
  if (lower.endsWith('.ini')) return encodingSecretSpans(text, name);
  if (lower.endsWith('.apdu')) return parseScript(text, name).secrets;
  return [];
}

/** The cloud's half: every literal secret out of the files, into `literals`. */
export function sealLiterals(files: readonly WireBundleFile[], newNonce: () => string): SealedLiterals {
  const decoded = files.map((file) => ({ file, bytes: Buffer.from(file.base64, 'base64') }));
  const nonce = freeNonce(
    decoded.map((d) => d.bytes),
    newNonce,
  );
  const literals: Record<string, string> = {};
  let next = 0;
  const sealed = decoded.map(({ file, bytes }) => {
    const lower = file.name.toLowerCase();
    if (!lower.endsWith('.ini') && !lower.endsWith('.apdu')) return { ...file };
    const text = utf8(bytes, file.name, 'BUNDLE_NOT_UTF8');
    const spans = literalSecretSpans(file.name, text);
    if (spans.length === 0) return { ...file };
    const replaced = replaceSpans(text, spans, (written) => {
      const placeholder = literalPlaceholder(nonce, next++);
      literals[placeholder] = written;
      return placeholder;
    });
    return { name: file.name, base64: Buffer.from(replaced, 'utf8').toString('base64') };
  });
  return { files: sealed, literals };
}

/**
 * The agent's half: the placeholders of `literals` replaced by their texts. A placeholder
 * of this envelope without a sealed value (ENVELOPE_PLACEHOLDER_UNKNOWN), or a sealed value
 * that is not a placeholder of this envelope or not in the bundle exactly once
 * (ENVELOPE_LITERAL_UNPLACED), refuses the envelope; messages name files, never values.
 */
export function restoreLiterals(
  files: readonly WireBundleFile[],
  literals: Readonly<Record<string, string>>,
): WireBundleFile[] {
  const placeholders = Object.keys(literals);
  if (placeholders.length === 0) return files.map((file) => ({ ...file }));
  const nonces = new Set(placeholders.map((p) => PLACEHOLDER.exec(p)?.[1]));
  const nonce = [...nonces][0];
  if (nonces.size !== 1 || nonce === undefined)
    throw new CardfleetError(
      'ENVELOPE_LITERAL_UNPLACED',
      'the sealed literals are not placeholders of one envelope',
    );
  const uses = new Map<string, number>();
  const marker = Buffer.from(`${OPEN}${nonce}:`, 'utf8');
  const pattern = new RegExp(`${OPEN}${nonce}:[0-9]+${CLOSE}`, 'g');
  const restored = files.map((file) => {
    const bytes = Buffer.from(file.base64, 'base64');
    if (!bytes.includes(marker)) return { ...file };
    const text = utf8(bytes, file.name, 'ENVELOPE_PLACEHOLDER_UNKNOWN').replace(pattern, (placeholder) => {
      if (!Object.hasOwn(literals, placeholder))
        throw new CardfleetError(
          'ENVELOPE_PLACEHOLDER_UNKNOWN',
          `${file.name} holds a placeholder no sealed literal resolves`,
        );
      uses.set(placeholder, (uses.get(placeholder) ?? 0) + 1);
      return literals[placeholder] as string;
    });
    return { name: file.name, base64: Buffer.from(text, 'utf8').toString('base64') };
  });
  const unplaced = placeholders.filter((p) => uses.get(p) !== 1).length;
  if (unplaced > 0)
    throw new CardfleetError(
      'ENVELOPE_LITERAL_UNPLACED',
      `${unplaced} sealed literal(s) do not have exactly one placeholder in the bundle`,
    );
  return restored;
}

/**
 * The bundle the agent runs: literals restored, then checked against the sha256 the
 * job recorded for the encoding version (ENVELOPE_BUNDLE_MISMATCH otherwise) — a
 * placeholder left over, a wrong value or a changed file cannot run.
 */
export function openSealedBundle(
  files: readonly WireBundleFile[],
  literals: Readonly<Record<string, string>>,
  sha256: string,
): WireBundleFile[] {
  const restored = restoreLiterals(files, literals);
  const actual = bundleSha256(
    restored.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })),
  );
  if (actual !== sha256)
    throw new CardfleetError(
      'ENVELOPE_BUNDLE_MISMATCH',
      "the job's bundle does not match the sha256 recorded for its encoding version",
    );
  return restored;
}

function freeNonce(files: readonly Buffer[], newNonce: () => string): string {
  for (let draw = 0; draw < NONCE_DRAWS; draw++) {
    const nonce = newNonce();
    if (!NONCE.test(nonce)) throw new TypeError('a literal nonce is 16 lowercase hex digits');
    const marker = Buffer.from(`${OPEN}${nonce}`, 'utf8');
    if (!files.some((bytes) => bytes.includes(marker))) return nonce;
  }
  throw new CardfleetError(
    'PLACEHOLDER_COLLISION',
    `no placeholder nonce free of the bundle's text in ${NONCE_DRAWS} draws`,
  );
}

/** The text with its BOM kept, so that writing it back gives the same bytes. */
function utf8(
  bytes: Uint8Array,
  file: string,
  code: 'BUNDLE_NOT_UTF8' | 'ENVELOPE_PLACEHOLDER_UNKNOWN',
): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new CardfleetError(code, `${file} is not UTF-8 text`, { cause });
  }
}

/**
 * The text with each span (1-based line and column, as the parsers give them, lines
 * split as they split them) replaced by `replace(written)`, in reading order.
 */
function replaceSpans(
  text: string,
  spans: readonly SecretSpan[],
  replace: (written: string) => string,
): string {
  const lineStarts: number[] = [];
  let offset = 0;
  for (const [index, part] of text.split(/(\r?\n)/).entries()) {
    if (index % 2 === 0) lineStarts.push(offset);
    offset += part.length;
  }
  const ranges = spans
    .map((span) => {
      const start = (lineStarts[span.line - 1] ?? Number.NaN) + span.column - 1;
      return { start, end: start + span.length };
    })
    .filter((r) => Number.isFinite(r.start))
    .sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end } of ranges) {
    if (start < at) continue; // spans never overlap; a second one inside the first is already sealed
    out += text.slice(at, start) + replace(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}
