import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { memoryLogger } from './logger';

describe('log records', () => {
  it('hide the values of secret keys at any depth, and keep the rest', () => {
    const log = memoryLogger();
    log.info('pins entered', {
      jobId: 'job-1',
      pin: '593817',
      entries: [{ transport: 'T', newPin: '112233', confirmation: '112233' }],
      body: { token: 'eyJ.secret', settings: { CardManagerKey: '404142', password: 'pw' } },
    });
    const text = JSON.stringify(log.records);
    for (const secret of ['593817', '112233', 'eyJ.secret', '404142', '"pw"'])
      expect(text).not.toContain(secret);
    expect(log.records[0]).toMatchObject({
      level: 'info',
      msg: 'pins entered',
      jobId: 'job-1',
      pin: '[REDACTED]',
    });
  });

  it('carry an error as its code, message, stack and cause', () => {
    const log = memoryLogger();
    const cause = new Error('socket hang up');
    log.error('storage failed', {
      err: new CardfleetError('STORAGE_UNAVAILABLE', 'table unreachable', { cause }),
    });
    const err = log.records[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE', message: 'table unreachable' });
    expect(String(err.stack)).toContain('log-fields.test.ts');
    expect(err.cause).toMatchObject({ message: 'socket hang up' });
  });

  it('of a child logger carry its bindings', () => {
    const log = memoryLogger();
    log.child({ requestId: 'req-1' }).child({ jobId: 'job-1' }).warn('late');
    expect(log.records).toEqual([{ level: 'warn', msg: 'late', requestId: 'req-1', jobId: 'job-1' }]);
  });
});
