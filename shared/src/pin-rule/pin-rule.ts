import { RE2JS } from 're2js';
import { CardfleetError } from '../errors/cardfleet-error';

/**
 * PIN rules (`reg_exp(…)` on a PIN line, `PromptPinRule` of a PKCS#11 application) are
 * written by whoever uploads an encoding and run on the agent against what the operator
 * types. They are compiled by RE2 (the re2js port), which matches in time linear in the
 * answer: a rule like `(a|aa)+` cannot stall the agent's event loop the way a
 * backtracking engine does (docs/security.md, "Inputs that must not hurt"). RE2 has no
 * backreferences or lookaround; such a rule is refused at upload (docs/encoding-format.md).
 * The rule must match the whole PIN.
 */
const compiled = new Map<string, RE2JS>();
const MAX_CACHED_RULES = 256;

/** Why RE2 cannot take the rule, or undefined when it can. */
export function pinRuleProblem(rule: string): string | undefined {
  try {
    compile(rule);
    return undefined;
  } catch (cause) {
    return cause instanceof Error ? cause.message : String(cause);
  }
}

/** Whether the PIN matches the rule as a whole, in linear time. */
export function matchesPinRule(rule: string, pin: string): boolean {
  let pattern: RE2JS;
  try {
    pattern = compile(rule);
  } catch (cause) {
    // Validation refuses such rules at upload; an older stored encoding may still hold one.
    throw new CardfleetError('PIN_RULE_UNSUPPORTED', 'the PIN rule is not an RE2 regular expression', {
      cause,
    });
  }
  return pattern.matches(pin);
}

function compile(rule: string): RE2JS {
  const known = compiled.get(rule);
  // The cache and its bound only save compiling a rule again: with or without them, the
  // same rule compiles to the same answers.
  // Stryker disable next-line ConditionalExpression: as above
  if (known) return known;
  const pattern = RE2JS.compile(`(?:${rule})`);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: as above
  if (compiled.size >= MAX_CACHED_RULES) compiled.clear();
  compiled.set(rule, pattern);
  return pattern;
}
