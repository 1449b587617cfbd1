import { useState } from 'preact/hooks';
import {
  type BundleFile,
  type BundleProblem,
  bundleProblems,
  problemPlace,
  pushBundle,
} from '../../api/encodings-api';
import { navigate } from '../../router';
import { Button, describedBy, ErrorNote, Field } from '../ui';
import { BundleEditor, type EditRequest } from './bundle-editor';
import { PasteFile } from './paste-file';
import { ProblemList } from './problem-list';
import { idFromName, mergeFiles, readChosenFiles } from './read-files';
import { SourceLines } from './source-lines';

const ID_RULE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ID_HINT = 'Letters, digits, "_", "." and "-" (up to 64). Pushing to an existing id adds a version.';

/**
 * Upload a bundle (admins): its files chosen, a folder, or one pasted file, sent as
 * `cardfleet encodings push` sends them (POST /v1/encodings). A refused bundle lists its
 * problems; each opens its file at the line, and the files can be fixed here and sent again.
 */
export function UploadBundle({ onCancel }: { onCancel: () => void }) {
  const [id, setId] = useState('');
  const [files, setFiles] = useState<BundleFile[]>([]);
  const [problems, setProblems] = useState<BundleProblem[]>();
  const [shown, setShown] = useState<number>();
  const [edit, setEdit] = useState<EditRequest>();
  const [error, setError] = useState<unknown>();
  const [idError, setIdError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const add = (added: BundleFile[], name?: string) => {
    setError(undefined);
    setFiles((current) => mergeFiles(current, added));
    if (!id && name) setId(idFromName(name));
  };
  const choose = async (list: FileList | null, input: HTMLInputElement) => {
    const zip = Array.from(list ?? []).find((file) => /\.zip$/i.test(file.name));
    if (zip) {
      input.value = '';
      // A zip cannot be edited here; its files can (or the CLI sends the zip itself).
      return setError(
        new Error(`${zip.name} is a zip: choose the files in it, or push it with cardfleet encodings push.`),
      );
    }
    const { files: chosen, folder } = await readChosenFiles(list);
    add(chosen, folder ?? chosen.find((f) => f.name.toLowerCase().endsWith('.ini'))?.name);
    input.value = '';
  };
  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (!ID_RULE.test(id)) return setIdError(`Give the encoding an id: ${ID_HINT}`);
    setIdError(undefined);
    if (files.length === 0) return setError(new Error('Choose or paste at least one file.'));
    setBusy(true);
    try {
      const pushed = await pushBundle(id, files);
      navigate(`/encodings/${encodeURIComponent(pushed.id)}?version=${pushed.version}&pushed=1`);
    } catch (caught) {
      const listed = bundleProblems(caught);
      setProblems(listed);
      setShown(listed?.findIndex((p) => p.file) ?? undefined);
      if (!listed) setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const problem = shown !== undefined && shown >= 0 ? problems?.[shown] : undefined;
  const source = problem?.file ? files.find((f) => f.name === problem.file) : undefined;
  const notes = (problems ?? [])
    .filter((p) => p.file === source?.name && p.line !== undefined)
    .map((p) => ({ line: p.line ?? 0, column: p.column, text: `${p.message} (${p.code})` }));

  return (
    <form class="upload" onSubmit={send} aria-labelledby="upload-heading" noValidate>
      <h2 id="upload-heading">Upload a bundle</h2>
      <Field id="upload-id" label="Encoding id" hint={ID_HINT} error={idError}>
        <input
          id="upload-id"
          value={id}
          required
          autocomplete="off"
          aria-invalid={idError ? true : undefined}
          aria-describedby={describedBy('upload-id', ID_HINT, idError)}
          onInput={(e) => setId((e.currentTarget as HTMLInputElement).value.trim())}
        />
      </Field>
      <div class="upload-sources">
        <Field
          id="upload-files"
          label="Choose files"
          hint="The encoding (.ini) and the .apdu scripts it names."
        >
          <input
            id="upload-files"
            type="file"
            multiple
            aria-describedby="upload-files-hint"
            onChange={(e) => choose(e.currentTarget.files, e.currentTarget)}
          />
        </Field>
        <Field
          id="upload-folder"
          label="Or choose a folder"
          hint="Its top-level files, as the command line takes them."
        >
          <input
            id="upload-folder"
            type="file"
            {...{ webkitdirectory: true }}
            aria-describedby="upload-folder-hint"
            onChange={(e) => choose(e.currentTarget.files, e.currentTarget)}
          />
        </Field>
      </div>
      <PasteFile onAdd={(file) => add([file], file.name)} />

      {problems ? (
        <div class="problem-layout">
          <ProblemList problems={problems} selected={shown} onShow={setShown} />
          {source && problem ? (
            <section class="problem-source" aria-labelledby="problem-source-heading">
              <h3 id="problem-source-heading">
                <span class="mono">{problemPlace(problem)}</span>
              </h3>
              <SourceLines name={source.name} text={source.text} notes={notes} highlight={problem.line} />
              <Button
                onClick={() =>
                  setEdit((previous) => ({
                    file: source.name,
                    line: problem.line ?? 1,
                    seq: (previous?.seq ?? 0) + 1,
                  }))
                }
              >
                Edit line {problem.line} of {source.name}
              </Button>
            </section>
          ) : null}
        </div>
      ) : null}

      {files.length ? (
        <section aria-labelledby="bundle-files-heading">
          <h3 id="bundle-files-heading">Files in the bundle ({files.length})</h3>
          <BundleEditor
            files={files}
            request={edit}
            onChange={(name, text) =>
              setFiles((all) => all.map((f) => (f.name === name ? { name, text } : f)))
            }
            onRemove={(name) => setFiles((all) => all.filter((f) => f.name !== name))}
          />
        </section>
      ) : (
        <p class="muted">No file yet.</p>
      )}
      <ErrorNote error={error} />
      <div class="form-actions">
        <Button kind="primary" type="submit" disabled={busy}>
          {busy ? 'Sending…' : problems ? 'Send again' : 'Send the bundle'}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
