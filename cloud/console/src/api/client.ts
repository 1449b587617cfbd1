/**
 * The console's one way to call the API (docs/api.md): JSON over fetch, the bearer token
 * in the Authorization header only, the API's error body (`{ error: { code, message,
 * details } }`) turned into an ApiError the pages show by code and message.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let bearer: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** Set by the app on sign-in; a 401 afterwards signs the tab out (an expired token). */
export function useToken(token: string | undefined, unauthenticated?: () => void): void {
  bearer = token;
  onUnauthenticated = unauthenticated;
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return bearer ? { ...extra, authorization: `Bearer ${bearer}` } : extra;
}

/** A raw call with the token (downloads, event streams); errors are the caller's. */
export function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(path, { ...init, headers: authHeaders((init.headers as Record<string, string>) ?? {}) });
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await authorizedFetch(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (
      parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
    )?.error;
    if (response.status === 401) onUnauthenticated?.();
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `the API answered ${response.status}`,
      error?.details ?? {},
    );
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path),
};

/** `?a=1&b=2` from the defined entries only. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
