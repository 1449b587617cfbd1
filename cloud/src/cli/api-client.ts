import { CardfleetError, relayedErrorCode } from '@cardfleet/shared';

/** The admin CLI's HTTP client: base URL and bearer token from the environment. */
export interface ApiClient {
  request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; text: string }>;
}

export function apiClient(
  env: Readonly<Record<string, string | undefined>>,
  send: typeof fetch = fetch,
): ApiClient {
  const base = env.CARDFLEET_API_URL;
  const token = env.CARDFLEET_TOKEN;
  if (!base)
    throw new CardfleetError(
      'CLI_USAGE',
      'no API: run cardfleet login --url URL, or set CARDFLEET_API_URL (e.g. http://127.0.0.1:8787)',
    );
  if (!token)
    throw new CardfleetError(
      'CLI_USAGE',
      'no token: run cardfleet login, or set CARDFLEET_TOKEN to a bearer token',
    );
  return {
    async request(method, path, body) {
      let response: Response;
      try {
        response = await send(`${base.replace(/\/$/, '')}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (cause) {
        // fetch says only "fetch failed"; the socket's reason is in its cause (ECONNREFUSED...).
        const inner = (cause as { cause?: { code?: unknown; message?: unknown } })?.cause;
        const reason = inner?.code ?? inner?.message;
        throw new CardfleetError(
          'API_UNREACHABLE',
          `cannot reach ${base}${typeof reason === 'string' ? ` (${reason})` : ''}`,
          { cause },
        );
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (response.status >= 400) {
        const error = (
          json as {
            error?: {
              code?: string;
              message?: string;
              details?: {
                problems?: { file?: string; line?: number; column?: number; message: string; code: string }[];
              };
            };
          }
        )?.error;
        const problems =
          error?.details?.problems
            ?.map((p) => `\n${p.file}:${p.line}:${p.column}: ${p.message} [${p.code}]`)
            .join('') ?? '';
        throw new CardfleetError(
          relayedErrorCode(error?.code, `HTTP_${response.status}`),
          `${error?.message ?? text}${problems}`,
          // The exit code follows the status: 4xx bad input, 401/403/5xx refused (cli-failure.ts).
          { details: { httpStatus: response.status } },
        );
      }
      return { status: response.status, json, text };
    },
  };
}
