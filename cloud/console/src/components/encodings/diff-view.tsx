import type { EncodingDiff } from '../../api/encodings-api';
import { type DiffCell, sideBySide } from './side-by-side';

const WORD: Record<DiffCell['kind'], string> = { same: '', removed: 'removed: ', added: 'added: ' };
const MARK: Record<DiffCell['kind'], string> = { same: ' ', removed: '−', added: '+' };

function Cell({ cell }: { cell: DiffCell | undefined }) {
  if (!cell)
    return (
      <>
        <td class="diff-number diff-empty" />
        <td class="diff-text diff-empty" />
      </>
    );
  return (
    <>
      <td class={`diff-number diff-${cell.kind}`}>{cell.number}</td>
      <td class={`diff-text diff-${cell.kind}`}>
        <span class="diff-mark" aria-hidden="true">
          {MARK[cell.kind]}
        </span>
        {WORD[cell.kind] ? <span class="visually-hidden">{WORD[cell.kind]}</span> : null}
        <code>{cell.text}</code>
      </td>
    </>
  );
}

/**
 * Two versions' redacted files compared (GET /v1/encodings/{id}/diff, docs/api.md): two
 * columns from the hunks on wide screens, one inline column below 900 px (the style sheet
 * shows one of the two), long lines wrapped — never a horizontal scroll. Secrets read
 * `[REDACTED]` on both sides: the API diffs the redacted views only.
 */
export function DiffView({ diff }: { diff: EncodingDiff }) {
  if (diff.files.length === 0)
    return (
      <p>
        Versions {diff.from} and {diff.to} have the same files (secrets aside: they are redacted on both
        sides).
      </p>
    );
  return (
    <div class="diff">
      {diff.files.map((file) => (
        <section class="diff-file" key={file.name} aria-label={`Changes to ${file.name}`}>
          <h3>
            <span class="mono">{file.name}</span>{' '}
            <span
              class={`badge badge-${file.change === 'removed' ? 'bad' : file.change === 'added' ? 'good' : 'busy'}`}
            >
              {file.change}
            </span>
          </h3>
          <table class="diff-columns">
            <caption class="visually-hidden">
              {file.name}: version {diff.from} on the left, version {diff.to} on the right
            </caption>
            <colgroup>
              <col class="diff-number-col" />
              <col />
              <col class="diff-number-col" />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">Line in </span>v{diff.from}
                </th>
                <th scope="col">Version {diff.from}</th>
                <th scope="col">
                  <span class="visually-hidden">Line in </span>v{diff.to}
                </th>
                <th scope="col">Version {diff.to}</th>
              </tr>
            </thead>
            {file.hunks.map((hunk) => (
              <tbody key={`${hunk.fromStart}-${hunk.toStart}`}>
                <tr class="diff-hunk">
                  <td colSpan={4} class="mono">
                    @@ -{hunk.fromStart},{hunk.fromLines} +{hunk.toStart},{hunk.toLines} @@
                  </td>
                </tr>
                {sideBySide(hunk).map((row, index) => (
                  <tr key={index}>
                    <Cell cell={row.left} />
                    <Cell cell={row.right} />
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
          <ol class="diff-inline" aria-label={`${file.name}, inline`}>
            {file.hunks.flatMap((hunk) => [
              <li class="diff-hunk mono" key={`h${hunk.fromStart}-${hunk.toStart}`}>
                @@ -{hunk.fromStart},{hunk.fromLines} +{hunk.toStart},{hunk.toLines} @@
              </li>,
              ...hunk.lines.map((line, index) => {
                const kind = line[0] === '-' ? 'removed' : line[0] === '+' ? 'added' : 'same';
                return (
                  <li class={`diff-${kind}`} key={`${hunk.fromStart}-${index}`}>
                    <span class="diff-mark" aria-hidden="true">
                      {MARK[kind]}
                    </span>
                    {WORD[kind] ? <span class="visually-hidden">{WORD[kind]}</span> : null}
                    <code>{line.slice(1)}</code>
                  </li>
                );
              }),
            ])}
          </ol>
        </section>
      ))}
    </div>
  );
}
