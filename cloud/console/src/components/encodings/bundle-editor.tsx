import { useEffect, useRef } from 'preact/hooks';
import type { BundleFile } from '../../api/encodings-api';
import { Button } from '../ui';
import { lineRange } from './line-range';

/** Where the caret should go: a file's line (`seq` makes asking twice for the same line move it again). */
export interface EditRequest {
  file: string;
  line: number;
  seq: number;
}

/** One textarea per bundle file: the admin fixes a refused bundle here and sends it again. */
export function BundleEditor({
  files,
  request,
  onChange,
  onRemove,
}: {
  files: BundleFile[];
  request: EditRequest | undefined;
  onChange: (name: string, text: string) => void;
  onRemove: (name: string) => void;
}) {
  return (
    <div class="bundle-editor">
      {files.map((file, index) => (
        <FileEditor
          key={file.name}
          id={`bundle-file-${index}`}
          file={file}
          request={request?.file === file.name ? request : undefined}
          onChange={(text) => onChange(file.name, text)}
          onRemove={() => onRemove(file.name)}
        />
      ))}
    </div>
  );
}

function FileEditor({
  id,
  file,
  request,
  onChange,
  onRemove,
}: {
  id: string;
  file: BundleFile;
  request: EditRequest | undefined;
  onChange: (text: string) => void;
  onRemove: () => void;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const element = area.current;
    if (!request || !element) return;
    const [start, end] = lineRange(element.value, request.line);
    element.focus();
    element.setSelectionRange(start, end);
  }, [request?.seq]);
  const rows = Math.min(24, Math.max(6, file.text.split('\n').length + 1));
  return (
    <div class="file-editor">
      <div class="file-editor-head">
        <label for={id}>
          Text of <span class="mono">{file.name}</span>
        </label>
        <Button kind="danger" onClick={onRemove} aria-label={`Remove ${file.name} from the bundle`}>
          Remove
        </Button>
      </div>
      <textarea
        id={id}
        ref={area}
        rows={rows}
        spellcheck={false}
        value={file.text}
        onInput={(event) => onChange((event.currentTarget as HTMLTextAreaElement).value)}
      />
    </div>
  );
}
