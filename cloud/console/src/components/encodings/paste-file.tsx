import { useState } from 'preact/hooks';
import type { BundleFile } from '../../api/encodings-api';
import { Button, describedBy, Field } from '../ui';

const NAME_HINT = 'A file name without folders, e.g. encoding.ini or read_version.apdu.';

/** Paste one file's text (a lone encoding, or a script copied from elsewhere) into the bundle. */
export function PasteFile({ onAdd }: { onAdd: (file: BundleFile) => void }) {
  const [name, setName] = useState('encoding.ini');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const add = () => {
    if (!name || name.includes('/') || name.includes('\\')) return setProblem(`Name the file: ${NAME_HINT}`);
    if (!text.trim()) return setProblem('Paste the text of the file first.');
    setProblem(undefined);
    onAdd({ name, text });
    setText('');
  };
  return (
    <details class="paste-file">
      <summary>Or paste one file</summary>
      <Field id="paste-name" label="File name" hint={NAME_HINT} error={problem}>
        <input
          id="paste-name"
          value={name}
          autocomplete="off"
          aria-describedby={describedBy('paste-name', NAME_HINT, problem)}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value.trim())}
        />
      </Field>
      <Field id="paste-text" label="Text">
        <textarea
          id="paste-text"
          rows={8}
          spellcheck={false}
          value={text}
          onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </Field>
      <Button onClick={add}>Add this file</Button>
    </details>
  );
}
