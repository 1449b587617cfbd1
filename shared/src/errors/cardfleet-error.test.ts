import { describe, expect, it } from 'vitest';
import { CardfleetError, isCardfleetError } from './cardfleet-error';

describe('CardfleetError', () => {
  it('carries its code, message and name, and no cause, position or details when given none', () => {
    const error = new CardfleetError('NOT_FOUND', 'job job-1 not found');
    expect([error.name, error.code, error.message]).toEqual([
      'CardfleetError',
      'NOT_FOUND',
      'job job-1 not found',
    ]);
    expect(error).toBeInstanceOf(Error);
    expect('cause' in error).toBe(false);
    expect(error.position).toBeUndefined();
    expect(error.details).toBeUndefined();
  });

  it('keeps the underlying error as its cause, and its position and details', () => {
    const cause = new Error('socket hang up');
    const position = { file: 'card.ini', line: 3, column: 7 };
    const details = { row: 2, column: 'serial' };
    const error = new CardfleetError('BATCH_CSV_INVALID', 'bad row', { cause, position, details });
    expect(error.cause).toBe(cause);
    expect(error.position).toEqual(position);
    expect(error.details).toEqual(details);
  });

  it('keeps a falsy cause that is not undefined', () => {
    const error = new CardfleetError('INTERNAL', 'x', { cause: null });
    expect('cause' in error).toBe(true);
    expect(error.cause).toBeNull();
  });

  it('describes itself as file:line:col: message [CODE] when it has a position', () => {
    const error = new CardfleetError('INI_BAD_KEY', 'bad key', {
      position: { file: 'a.ini', line: 12, column: 4 },
    });
    expect(error.describe()).toBe('a.ini:12:4: bad key [INI_BAD_KEY]');
  });

  it('describes itself as message [CODE] without a position', () => {
    expect(new CardfleetError('CLI_USAGE', 'no command').describe()).toBe('no command [CLI_USAGE]');
  });
});

describe('isCardfleetError', () => {
  it('tells a CardfleetError from other errors and values', () => {
    expect(isCardfleetError(new CardfleetError('INTERNAL', 'x'))).toBe(true);
    const lookalike = Object.assign(new Error('x'), { name: 'CardfleetError', code: 'INTERNAL' });
    expect(isCardfleetError(lookalike)).toBe(false);
    expect(isCardfleetError({ code: 'INTERNAL', message: 'x' })).toBe(false);
    expect(isCardfleetError(undefined)).toBe(false);
  });
});
