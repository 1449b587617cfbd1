import { describe, expect, it } from 'vitest';
import { logLevelOf, pinoLogger } from './pino-logger';

const collector = () => {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => lines.push(line) } };
};
const records = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the pino logger', () => {
  it('writes one JSON line per record: level word, ISO time, process name, fields and message', () => {
    const { lines, destination } = collector();
    pinoLogger({ name: 'cardfleet-agent', destination }).warn('reader lost', { reader: 'R1', pin: '1234' });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    const [record] = records(lines);
    expect(record).toEqual({
      level: 'warn',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      name: 'cardfleet-agent',
      reader: 'R1',
      pin: '[REDACTED]',
      msg: 'reader lost',
    });
  });

  it('writes from info up by default, and debug when asked', () => {
    const quiet = collector();
    const log = pinoLogger({ name: 'p', destination: quiet.destination });
    log.debug('d');
    log.info('i');
    log.error('e');
    expect(records(quiet.lines).map((r) => [r.level, r.msg])).toEqual([
      ['info', 'i'],
      ['error', 'e'],
    ]);
    const verbose = collector();
    pinoLogger({ name: 'p', level: 'debug', destination: verbose.destination }).debug('d');
    expect(records(verbose.lines).map((r) => [r.level, r.msg])).toEqual([['debug', 'd']]);
    const terse = collector();
    const errorsOnly = pinoLogger({ name: 'p', level: 'error', destination: terse.destination });
    errorsOnly.warn('w');
    errorsOnly.error('e');
    expect(records(terse.lines).map((r) => r.msg)).toEqual(['e']);
  });

  it('writes an error as the fields the port made of it', () => {
    const { lines, destination } = collector();
    const err = Object.assign(new Error('table unreachable'), { code: 'STORAGE_UNAVAILABLE' });
    pinoLogger({ name: 'p', destination }).child({ requestId: 'r1' }).error('failed', { err });
    expect(records(lines)[0]).toMatchObject({
      requestId: 'r1',
      err: { type: 'Error', code: 'STORAGE_UNAVAILABLE', message: 'table unreachable', stack: err.stack },
    });
  });
});

describe('the log level from LOG_LEVEL', () => {
  it('is the named level, or info when unset or unknown', () => {
    expect(['debug', 'info', 'warn', 'error', 'trace', 'DEBUG', '', undefined].map(logLevelOf)).toEqual([
      'debug',
      'info',
      'warn',
      'error',
      'info',
      'info',
      'info',
      'info',
    ]);
  });
});
