import { describe, expect, it } from 'vitest';
import { BATCH_CARD_STATUS_WORDS, describeStatusWord } from './status-words';

describe('status words', () => {
  it('gives ISO 7816-4 meanings', () => {
    expect(describeStatusWord(0x6a82).meaning).toBe('file or application not found');
    expect(describeStatusWord(0x9000)).toMatchObject({ category: 'success', hex: '9000' });
  });

  it('decodes the parameterised status words', () => {
    expect(describeStatusWord(0x6110).meaning).toBe('16 response bytes still available (GET RESPONSE)');
    expect(describeStatusWord(0x6c08).meaning).toBe('wrong Le: exact length is 8');
    expect(describeStatusWord(0x63c2)).toMatchObject({
      category: 'warning',
      meaning: 'verification failed, 2 tries left',
    });
  });

  it('lets an application table override the ISO meaning', () => {
    expect(describeStatusWord(0x6985).meaning).toBe('conditions of use not satisfied');
    expect(describeStatusWord(0x6985, BATCH_CARD_STATUS_WORDS).meaning).toBe(
      'no more credit (remaining license counter reached zero)',
    );
    expect(describeStatusWord(0x6999, BATCH_CARD_STATUS_WORDS).meaning).toBe('wrong application AID');
  });

  it('names unknown status words as unknown', () => {
    expect(describeStatusWord(0x6789)).toMatchObject({ category: 'error', meaning: 'unknown status word' });
  });
});
