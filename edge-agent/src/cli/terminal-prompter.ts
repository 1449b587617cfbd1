import { createInterface } from 'node:readline';
import { CardfleetError } from '@cardfleet/shared';
import type { PinEntry, PinRequest, Prompter } from '../runner/prompter';

/**
 * The CLI's Prompter: asks on the terminal, without echo when stdin is a TTY (raw
 * mode, so the PIN never appears on screen or in scrollback), or reads lines when
 * stdin is a pipe. Prompts go to stderr so stdout stays the result.
 */
export interface TerminalPrompterOptions {
  input?: NodeJS.ReadStream;
  output?: NodeJS.WritableStream;
  timeoutMs?: number;
}

export function terminalPrompter(options: TerminalPrompterOptions = {}): Prompter & { close(): void } {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  // Opened on the first question only: an open interface on a pipe keeps the process alive.
  let reader: ReturnType<typeof createInterface> | undefined;
  let lines: AsyncIterator<string> | undefined;
  const lineSource = () => {
    if (input.isTTY) return undefined;
    reader ??= createInterface({ input, terminal: false });
    lines ??= reader[Symbol.asyncIterator]();
    return lines;
  };

  const ask = async (prompt: string): Promise<string> => {
    output.write(prompt);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CardfleetError('PIN_TIMEOUT', 'no PIN was entered in time')),
        timeoutMs,
      );
    });
    try {
      const source = lineSource();
      return await Promise.race([source ? nextLine(source) : readHidden(input, output), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    close: () => reader?.close(),
    async askPins(application: string, requests: readonly PinRequest[]): Promise<PinEntry[]> {
      const entries: PinEntry[] = [];
      for (const request of requests) {
        const rule = request.rule ? ` (must match ${request.rule})` : '';
        output.write(`\n${application}, line ${request.line}: ${request.description}${rule}\n`);
        const transport = request.askTransport ? await ask('  transport PIN: ') : undefined;
        const old = request.askOld ? await ask('  current PIN: ') : undefined;
        const pin = await ask('  new PIN: ');
        const confirmation = await ask('  confirm new PIN: ');
        entries.push({
          pin,
          confirmation,
          ...(old === undefined ? {} : { old }),
          ...(transport === undefined ? {} : { transport }),
        });
      }
      return entries;
    },
  };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const next = await lines.next();
  if (next.done) throw new CardfleetError('PIN_CANCELLED', 'input ended before the PIN was entered');
  return next.value;
}

/** Reads one line in raw mode, echoing nothing; Ctrl-C or Ctrl-D cancel. */
function readHidden(input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    input.setRawMode?.(true);
    input.resume();
    const done = (error?: CardfleetError) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003' || char === '\u0004')
          return done(new CardfleetError('PIN_CANCELLED', 'PIN entry cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    input.on('data', onData);
  });
}
