/** What the admin CLI needs from its surroundings (injected, so tests run it in-process). */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch (default Date.now), for `--wait` deadlines. */
  now?: () => number;
  /** stdout is a terminal: `--wait`/`--follow` rewrite one progress line in place (progress-display.ts). */
  isTTY?: boolean;
  /** How requests reach the API (the global fetch; tests call the app in-process). */
  fetch?: typeof fetch;
}
