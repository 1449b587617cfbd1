import { describe, expect, it } from 'vitest';
import { parseScript } from '../apdu-script/script-parser';
import { parseEncoding } from '../encoding/encoding-parser';
import { matchesPinRule, pinRuleProblem } from './pin-rule';

describe('PIN rules', () => {
  it('match a pathological rule against a long answer in linear time', () => {
    // (a|aa)+ against 46 a's and a mismatch took a backtracking engine 35 s.
    const started = performance.now();
    expect(matchesPinRule('(a|aa)+', `${'a'.repeat(46)}!`)).toBe(false);
    expect(matchesPinRule('(a|aa)+', `${'a'.repeat(4096)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('match the whole PIN, alternatives included', () => {
    expect(matchesPinRule('[0-9]{4,8}', '1234')).toBe(true);
    expect(matchesPinRule('[0-9]{4,8}', '12345x')).toBe(false);
    expect(matchesPinRule('\\d{6}|[#;]x', '#x')).toBe(true);
    expect(matchesPinRule('\\d{6}|[#;]x', '123456#x')).toBe(false);
  });

  it('refuse backreferences and lookaround, which RE2 cannot run in linear time', () => {
    expect(pinRuleProblem('(a)\\1')).toBeDefined();
    expect(pinRuleProblem('(?=.*[0-9])[a-z0-9]{8}')).toBeDefined();
    expect(pinRuleProblem('(?<!x)[0-9]{6}')).toBeDefined();
    expect(pinRuleProblem('[0-9]{6}')).toBeUndefined();
  });

  it('are refused at upload with file:line:col in scripts and in PromptPinRule', () => {
    const script = parseScript('PIN[NEW_PIN]:NAME;reg_exp((?=.*[0-9])[a-z0-9]{8})', 's.apdu');
    expect(script.problems.map((p) => p.describe())).toEqual([
      expect.stringMatching(/^s\.apdu:1:27: invalid regular expression: .*\[SCRIPT_PIN_REGEXP\]$/),
    ]);
    const encoding = parseEncoding(
      ['ApplicationList=P', '[P]', 'PKCS11Library=x.dll', 'NewPin=?prompt', 'PromptPinRule=(a)\\1'].join(
        '\n',
      ),
      'e.ini',
    );
    expect(encoding.problems.map((p) => p.describe())).toEqual([
      'e.ini:5:15: PromptPinRule: expected a regular expression (the whole PIN must match it) [ENCODING_BAD_VALUE]',
    ]);
  });
});
