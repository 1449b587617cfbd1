import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';

/** Shared building blocks of the pages: one look, one way to show loading and errors. */

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      {/* tabIndex -1: the router moves focus here after navigation (router.ts). */}
      <h1 tabIndex={-1}>{title}</h1>
      {children ? <div class="page-actions">{children}</div> : null}
    </div>
  );
}

export function Button({
  kind = 'secondary',
  children,
  ...rest
}: {
  kind?: 'primary' | 'secondary' | 'danger';
  children: ComponentChildren;
} & JSX.HTMLAttributes<HTMLButtonElement> & {
    type?: 'button' | 'submit';
    disabled?: boolean;
  }) {
  return (
    <button type="button" {...rest} class={`button button-${kind}`}>
      {children}
    </button>
  );
}

/** A labelled form control with its hint and error, tied together for screen readers. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** `aria-describedby` for a Field's control: its hint and error ids. */
export const describedBy = (id: string, hint?: string, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? `${error.message} (${error.code})`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div class="note note-error" role="alert">
      {message}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="loading" aria-live="polite">
      {what}…
    </p>
  );
}

const STATE_TONE: Record<string, string> = {
  SUCCEEDED: 'good',
  ACTIVE: 'good',
  COMPLETED: 'good',
  online: 'good',
  FAILED: 'bad',
  REVOKED: 'bad',
  TIMED_OUT: 'bad',
  INTERRUPTED: 'bad',
  HALTED: 'bad',
  offline: 'muted',
  CANCELED: 'muted',
  RUNNING: 'busy',
  IN_PROGRESS: 'busy',
  SENT: 'busy',
  QUEUED: 'busy',
  PENDING: 'busy',
};

/** A state as a word with a tone; the word carries the meaning, the colour only repeats it. */
export function StatusBadge({ state }: { state: string }) {
  return (
    <span class={`badge badge-${STATE_TONE[state] ?? 'muted'}`}>
      {state.replace(/_/g, ' ').toLowerCase()}
    </span>
  );
}

export function Table({ caption, children }: { caption: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** Data from one GET, with loading, error and a reload for after an action. */
export function useApi<T>(path: string | undefined): {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
} {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: path !== undefined,
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (path === undefined) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    api.get<T>(path).then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** "3 min ago" style times, with the exact time in a title for the curious. */
export function Time({ at }: { at: string | undefined }) {
  if (!at) return <span>—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={date.toISOString()}>
      {date.toLocaleString()}
    </time>
  );
}
