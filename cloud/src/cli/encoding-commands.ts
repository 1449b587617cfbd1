import { CardfleetError } from '@cardfleet/shared';
import { readBundleFromPath } from '@cardfleet/shared/node';
import type { ApiClient } from './api-client';

/**
 * `cardfleet encodings …`. `show` and `diff` see only what the API serves: the redacted
 * view of a version (secret literals masked, docs/security.md); `diff` prints the API's
 * diff of two such views (GET /v1/encodings/{id}/diff, docs/api.md), so it never shows a
 * key either.
 */
type Print = (human: string, data: unknown) => void;
type EncodingDiff = { id: string; from: number; to: number; diff: string };
type EncodingView = { id: string; version: number; sha256: string; files: { name: string; text: string }[] };

export async function encodingsCommand(
  action: string,
  args: string[],
  id: string | undefined,
  api: ApiClient,
  print: Print,
): Promise<number> {
  const [target, from, to] = args;
  switch (action) {
    case 'push': {
      const path = target ?? '';
      const files = readBundleFromPath(path).files.map((f) => ({
        name: f.name,
        base64: Buffer.from(f.bytes).toString('base64'),
      }));
      const name =
        id ??
        path
          .replace(/\/$/, '')
          .split('/')
          .pop()
          ?.replace(/\.(zip|ini)$/i, '') ??
        '';
      const { json } = await api.request('POST', '/v1/encodings', { id: name, files });
      const created = json as { id: string; version: number; sha256: string };
      print(`pushed ${created.id} version ${created.version} (sha256 ${created.sha256})`, created);
      return 0;
    }
    case 'list': {
      const { json } = await api.request('GET', '/v1/encodings');
      const items = (json as { items: { id: string; latestVersion: number; updatedAt: string }[] }).items;
      print(
        items.map((e) => `${e.id}  v${e.latestVersion}  ${e.updatedAt}`).join('\n') || 'no encodings',
        items,
      );
      return 0;
    }
    case 'show': {
      const encoding = await version(api, target ?? '', from);
      const files = encoding.files.map((f) => `=== ${f.name}\n${f.text.replace(/\n?$/, '\n')}`).join('');
      print(
        `${encoding.id} version ${encoding.version} (sha256 ${encoding.sha256})\n${files}`.trimEnd(),
        encoding,
      );
      return 0;
    }
    case 'diff': {
      const [a, b] = [positive(from), positive(to)];
      const path = `/v1/encodings/${encodeURIComponent(target ?? '')}/diff?from=${a}&to=${b}`;
      const diff = (await api.request('GET', path)).json as EncodingDiff;
      print(diff.diff.trimEnd() || `${diff.id}: v${diff.from} and v${diff.to} are the same`, diff);
      return 0;
    }
    default:
      throw new CardfleetError('CLI_USAGE', `unknown command encodings ${action}`);
  }
}

function positive(number: string | undefined): string {
  if (number === undefined || !/^[1-9]\d*$/.test(number))
    throw new CardfleetError('CLI_USAGE', `a version is a positive integer, not "${number ?? ''}"`);
  return number;
}

async function version(api: ApiClient, id: string, number: string | undefined): Promise<EncodingView> {
  if (number !== undefined) positive(number);
  const path = `/v1/encodings/${encodeURIComponent(id)}${number ? `/versions/${number}` : ''}`;
  return (await api.request('GET', path)).json as EncodingView;
}
