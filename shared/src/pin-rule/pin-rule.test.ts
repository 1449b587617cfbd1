import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../apdu-script/script-parser';
import { parseEncoding } from '../encoding/encoding-parser';
import { CardfleetError } from '../errors/cardfleet-error';
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

describe('PIN rule checks in detail', () => {
  const compileMessage = (rule: string) => {
    try {
      RE2JS.compile(`(?:${rule})`);
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };

  it("give RE2's own reason for a rule it cannot take", () => {
    for (const rule of ['[0-9', '(a)\\1', 'a{2,1}', '(?=x)']) {
      const reason = compileMessage(rule);
      expect(reason, rule).toEqual(expect.any(String));
      expect(pinRuleProblem(rule), rule).toBe(reason);
    }
  });

  it('refuse to match with a rule RE2 cannot take, with a typed error that keeps the cause', () => {
    let caught: unknown;
    try {
      matchesPinRule('[0-9', '1234');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CardfleetError);
    expect((caught as CardfleetError).code).toBe('PIN_RULE_UNSUPPORTED');
    expect((caught as CardfleetError).message).toBe('the PIN rule is not an RE2 regular expression');
    expect((caught as CardfleetError).cause).toBeInstanceOf(Error);
  });

  it('match the same rule the same way every time, past the cache of 256 rules', () => {
    for (let round = 0; round < 2; round++) {
      for (let n = 1; n <= 300; n++) {
        expect(matchesPinRule(`[0-9]{${n}}`, '1'.repeat(n))).toBe(true);
        expect(matchesPinRule(`[0-9]{${n}}`, '1'.repeat(n + 1))).toBe(false);
      }
    }
  });

  it('match the empty PIN only when the rule allows it', () => {
    expect(matchesPinRule('[0-9]*', '')).toBe(true);
    expect(matchesPinRule('[0-9]+', '')).toBe(false);
  });
});
