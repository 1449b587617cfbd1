import { CardfleetError } from '@cardfleet/shared';
import { readBundleFromPath } from '@cardfleet/shared/node';
import type { ApiClient } from './api-client';
import { unifiedDiff } from './unified-diff';

/**
 * `cardfleet encodings …`. `show` and `diff` see only what the API serves: the redacted
 * view of a version (secret literals masked, docs/security.md), so a diff never shows a
 * key either — it is computed here from the two redacted versions.
 */
type Print = (human: string, data: unknown) => void;
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
      const [a, b] = [await version(api, target ?? '', from), await version(api, target ?? '', to)];
      const names = [...new Set([...a.files, ...b.files].map((f) => f.name))].sort();
      const text = (e: EncodingView, name: string) => e.files.find((f) => f.name === name)?.text;
      const diffs = names.map((name) => {
        const [before, after] = [text(a, name), text(b, name)];
        return unifiedDiff(
          before ?? '',
          after ?? '',
          before === undefined ? '/dev/null' : `${a.id} v${a.version}/${name}`,
          after === undefined ? '/dev/null' : `${b.id} v${b.version}/${name}`,
        );
      });
      const diff = diffs.join('');
      print(diff.trimEnd() || `${a.id}: v${a.version} and v${b.version} are the same`, {
        id: a.id,
        from: a.version,
        to: b.version,
        redacted: true,
        diff,
      });
      return 0;
    }
    default:
      throw new CardfleetError('CLI_USAGE', `unknown command encodings ${action}`);
  }
}

async function version(api: ApiClient, id: string, number: string | undefined): Promise<EncodingView> {
  if (number !== undefined && !/^[1-9]\d*$/.test(number))
    throw new CardfleetError('CLI_USAGE', `a version is a positive integer, not "${number}"`);
  const path = `/v1/encodings/${encodeURIComponent(id)}${number ? `/versions/${number}` : ''}`;
  return (await api.request('GET', path)).json as EncodingView;
}
