import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentAdded } from '../../api/agents-api';
import { Button, Time } from '../ui';

/**
 * The new agent's one-time enrolment code. The cloud keeps only its hash (docs/security.md),
 * so this panel is the one time anyone sees it: it lives in this component's state only —
 * never in storage or the address — and is gone on Done or a reload.
 */
export function EnrolmentCodePanel({ added, onDone }: { added: AgentAdded; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'select' | undefined>();
  const code = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const command = `cardfleet-agent enrol --api ${window.location.origin} --code ${added.enrolmentCode}`;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(added.enrolmentCode);
      setCopied('yes');
    } catch {
      // No clipboard permission (or not a secure context): select the code to copy by hand.
      const range = document.createRange();
      if (code.current) range.selectNodeContents(code.current);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      setCopied('select');
    }
  };

  return (
    <section class="card fleet-code" aria-labelledby="enrolment-code-title">
      <h2 id="enrolment-code-title" tabIndex={-1} ref={heading}>
        Enrolment code for {added.id}
      </h2>
      <p class="note note-warning">
        <strong>Shown only this once.</strong> Copy it now: the cloud keeps only a hash of it. If it is lost,
        revoke {added.id} and add the agent again.
      </p>
      <p class="fleet-code-line">
        <code ref={code} class="fleet-code-value" data-testid="enrolment-code">
          {added.enrolmentCode}
        </code>
        <Button onClick={copy}>Copy code</Button>
        <span role="status" class="fleet-muted">
          {copied === 'yes' ? 'Copied.' : copied === 'select' ? 'Selected: press Ctrl+C to copy.' : ''}
        </span>
      </p>
      <p>
        Valid until <Time at={added.enrolmentCodeExpiresAt} />, for one enrolment. Office:{' '}
        <strong>{added.office}</strong>.
      </p>
      <h3>How to enrol</h3>
      <p>On the agent's machine, as the user the agent runs as:</p>
      <pre>
        <code>{command}</code>
      </pre>
      <p>The agent then appears here as active, and online once it is started.</p>
      <Button kind="primary" onClick={onDone}>
        Done — I have copied the code
      </Button>
    </section>
  );
}
