import { describe, expect, it } from 'vitest';
import { type LogRecord, memoryLogger, recordLogger, silentLogger } from './logger';

describe('a record logger', () => {
  it('writes each level under its own name, with the message and the redacted fields', () => {
    const records: LogRecord[] = [];
    const log = recordLogger((record) => records.push(record));
    log.debug('d', { n: 1 });
    log.info('i');
    log.warn('w', { token: 'secret-token' });
    log.error('e', { n: 4 });
    expect(records).toEqual([
      { level: 'debug', msg: 'd', n: 1 },
      { level: 'info', msg: 'i' },
      { level: 'warn', msg: 'w', token: '[REDACTED]' },
      { level: 'error', msg: 'e', n: 4 },
    ]);
  });

  it('lets fields override bindings, but never the level or the message', () => {
    const log = memoryLogger();
    log
      .child({ jobId: 'job-1', office: 'berlin' })
      .info('moved', { jobId: 'job-2', level: 'error', msg: 'forged' });
    expect(log.records).toEqual([{ level: 'info', msg: 'moved', jobId: 'job-2', office: 'berlin' }]);
  });

  it('gives children their own bindings, redacted, and leaves the parent as it was', () => {
    const log = memoryLogger();
    const child = log.child({ requestId: 'r1', bearer: 'abc' });
    log.child({ other: true });
    child.child({ requestId: 'r2' }).warn('late');
    log.error('plain');
    expect(log.records).toEqual([
      { level: 'warn', msg: 'late', requestId: 'r2', bearer: '[REDACTED]' },
      { level: 'error', msg: 'plain' },
    ]);
  });

  it('when silent, takes records and writes nowhere', () => {
    expect(silentLogger.info('nothing', { pin: '1' })).toBeUndefined();
    expect(silentLogger.child({ a: 1 }).error('nothing')).toBeUndefined();
  });
});
