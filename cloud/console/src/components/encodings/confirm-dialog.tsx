import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button, Field } from '../ui';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirm: string;
  /** Ask for an optional reason (kept in the audit entry, docs/releases.md "Audit"). */
  reason?: boolean;
}

/**
 * A confirmation for a destructive action, in a modal <dialog> (HTML's own: focus stays
 * inside, Escape cancels). Focus starts on Cancel — the safe choice — and returns to the
 * button that asked, as WAI-ARIA's dialog pattern describes.
 */
export function ConfirmDialog({
  request,
  onAnswer,
}: {
  request: ConfirmRequest | undefined;
  onAnswer: (answer: { reason: string } | undefined) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (request && !element.open) {
      opener.current = document.activeElement;
      setReason('');
      element.showModal();
      cancel.current?.focus();
    } else if (!request && element.open) {
      element.close();
    }
    if (!request && opener.current instanceof HTMLElement) {
      opener.current.focus();
      opener.current = null;
    }
  }, [request]);
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel={(event) => {
        event.preventDefault();
        onAnswer(undefined);
      }}
    >
      {request ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onAnswer({ reason: reason.trim() });
          }}
        >
          <h2 id="confirm-title">{request.title}</h2>
          <p id="confirm-message">{request.message}</p>
          {request.reason ? (
            <Field id="confirm-reason" label="Reason (optional, kept in the audit trail)">
              <input
                id="confirm-reason"
                value={reason}
                maxLength={500}
                onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)}
              />
            </Field>
          ) : null}
          <div class="form-actions">
            <Button kind="danger" type="submit">
              {request.confirm}
            </Button>
            <button
              type="button"
              class="button button-secondary"
              ref={cancel}
              onClick={() => onAnswer(undefined)}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}

/** `ask(request)` resolves with the answer; render `dialog` once in the component. */
export function useConfirm(): {
  dialog: JSX.Element;
  ask: (request: ConfirmRequest) => Promise<{ reason: string } | undefined>;
} {
  const [pending, setPending] = useState<{
    request: ConfirmRequest;
    resolve: (answer: { reason: string } | undefined) => void;
  }>();
  return {
    dialog: (
      <ConfirmDialog
        request={pending?.request}
        onAnswer={(answer) => {
          pending?.resolve(answer);
          setPending(undefined);
        }}
      />
    ),
    ask: (request) => new Promise((resolve) => setPending({ request, resolve })),
  };
}
