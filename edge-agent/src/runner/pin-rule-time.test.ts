import { describe, expect, it } from 'vitest';
import { checkPinEntries } from './pin-collection';

// docs/security.md, "Inputs that must not hurt": a rule from an uploaded encoding must
// not stall the agent's event loop, whatever the operator types.
describe('checking a typed PIN against its rule', () => {
  it('answers a pathological rule with a long PIN in well under a second', () => {
    const pin = `${'a'.repeat(46)}!`;
    const started = performance.now();
    expect(() =>
      checkPinEntries(
        [{ line: 3, description: 'PIN', rule: '(a|aa)+', askOld: false, askTransport: false }],
        [{ pin, confirmation: pin }],
      ),
    ).toThrow(expect.objectContaining({ code: 'PIN_RULE' }));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
