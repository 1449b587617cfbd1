import type { CardfleetError } from '@cardfleet/shared';

/** Output ports of the CLI, injected so commands are tested in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_CARD_REFUSED = 1;
export const EXIT_BAD_INPUT = 2;

export function problemJson(problem: CardfleetError) {
  return {
    code: problem.code,
    message: problem.message,
    ...(problem.position
      ? { file: problem.position.file, line: problem.position.line, column: problem.position.column }
      : {}),
  };
}

/** `file:line:col: message` — the form editors and CI annotate. */
export function problemLine(problem: CardfleetError, severity?: 'warning'): string {
  const where = problem.position
    ? `${problem.position.file}:${problem.position.line}:${problem.position.column}: `
    : '';
  return `${where}${severity ? `${severity}: ` : ''}${problem.message} [${problem.code}]\n`;
}
