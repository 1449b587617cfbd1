import { useEffect, useRef, useState } from 'preact/hooks';
import { type AgentRevoked, revokeAgent } from '../../api/agents-api';
import { Button, ErrorNote } from '../ui';

/**
 * Revoking asks first, naming the agent and what follows: its open jobs end (CANCELED,
 * AGENT_REVOKED) and the broker disconnects it; it cannot enrol again under that id
 * (docs/security.md). Focus moves into the question, and back to the Revoke button on Cancel.
 */
export function RevokeConfirm({
  agentId,
  onDone,
  onCancel,
}: {
  agentId: string;
  onDone: (revoked: AgentRevoked) => void;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const revoke = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await revokeAgent(agentId));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  const titleId = `revoke-${agentId}-title`;
  return (
    <section class="fleet-confirm" aria-labelledby={titleId}>
      <h4 id={titleId} tabIndex={-1} ref={heading}>
        Revoke {agentId}?
      </h4>
      <p>
        Its open jobs end now (canceled, reason AGENT_REVOKED), the broker disconnects it, and its key is no
        longer accepted. This cannot be undone: to use the machine again, add it as a new agent under another
        id.
      </p>
      <ErrorNote error={error} />
      <div class="page-actions">
        <Button kind="danger" onClick={revoke} disabled={busy}>
          {busy ? 'Revoking…' : `Revoke ${agentId}`}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </section>
  );
}
