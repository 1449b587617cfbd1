// @ts-check
/**
 * `npm run mutation`: StrykerJS over the security core (docs/mutation-testing.md).
 * Every check in these files must be pinned by a unit test that fails without it: a
 * mutant (the check deleted, inverted, its boundary moved) that survives every test
 * is a check a refactor could drop silently. Below 90 % the run exits non-zero and
 * fails CI (.ci/run). An equivalent mutant is marked in the source with
 * `// Stryker disable next-line <mutator>: <reason>`, never by lowering `break`.
 */

import { readFileSync } from 'node:fs';

/**
 * The security core, by concern. Add a module here when it takes over a security check.
 * A plain file name stands for the file from its first function or class on (`body`);
 * the module-level declarations above it (schemas, patterns, limits, `typ` names) run
 * while the module loads, before any test, so per-test coverage cannot attribute them:
 * stryker.static.config.mjs tests those (`declarations`) against every test instead.
 */
export const SECURITY_CORE = [
  // Signed messages from the cloud: envelope, cancel, claims, the shared verifier.
  'shared/src/messages/job-envelope.ts',
  'shared/src/messages/job-cancel.ts',
  'shared/src/messages/job-claims.ts',
  'shared/src/messages/signed-claims.ts',
  'shared/src/messages/execution-id.ts',
  // Signed key-set updates (pinned kid, no rollback).
  'shared/src/messages/key-set.ts',
  // Results signed by the agent and verified by the cloud.
  'shared/src/messages/result-message.ts',
  'cloud/src/results/result-messages.ts',
  'edge-agent/src/daemon/result-signing.ts',
  // Who may use which MQTT topic.
  'shared/src/messages/broker-policy.ts',
  // The one IoT policy evaluator (Aedes and IoT Core decide alike), the agent's signed
  // broker login, the custom authorizer that checks it, and the agent's side of it.
  'shared/src/broker/iot-policy.ts',
  'shared/src/broker/broker-login.ts',
  'cloud/src/broker/broker-authorizer.ts',
  'edge-agent/src/daemon/broker-credential.ts',
  // Revocation: the agent's open jobs end, what it signs afterwards is refused.
  'cloud/src/agents/agent-revocation.ts',
  'cloud/src/results/revoked-results.ts',
  // What an agent may add to the audit trail (bounded, rate limited), and the audit
  // export's neutralised spreadsheet formulas.
  'cloud/src/results/rejection-reports.ts',
  'cloud/src/audit/audit-csv.ts',
  // Literal secrets of a bundle sealed to the agent; sealed values bound to their item.
  'shared/src/bundle/sealed-literals.ts',
  'cloud/src/storage/sealed-store.ts',
  // Secrets: JWE to the agent, envelope encryption at rest, redaction.
  'shared/src/messages/secret-box.ts',
  'shared/src/messages/redaction.ts',
  'cloud/src/crypto/envelope-encryption.ts',
  'cloud/src/encodings/encoding-redaction.ts',
  // The agent's gate before any APDU: verification, replay, ordering.
  'edge-agent/src/daemon/job-gate.ts',
  'edge-agent/src/daemon/job-ledger.ts',
  // The operator console's access file and its two gates (loopback Host, token).
  'edge-agent/src/console/console-access.ts',
  'edge-agent/src/console/console-guard.ts',
  // The cloud API's bearer tokens and role/office checks.
  'cloud/src/auth/identity.ts',
  'cloud/src/auth/jwks-verifier.ts',
  'cloud/src/auth/token-lifetime.ts',
  'cloud/src/http/context.ts',
  // Tokens of an OpenID provider: the one verifier its issuer picks (never another
  // issuer's), and its claims mapped to one role and office (docs/console-sign-in.md).
  'cloud/src/auth/issuer-verifier.ts',
  'cloud/src/auth/claim-mapping.ts',
  // A dry run runs on the in-process dry-run card only, never on a reader, and skips
  // the PKCS#11 and License applications (docs/security.md, "Dry runs").
  'edge-agent/src/daemon/dry-run-target.ts',
  // The audit log's verification and the proofs an auditor checks offline (RFC 6962
  // trees, signed checkpoints), pinned by the tests beside them on the in-memory table.
  'cloud/src/audit/audit-verify.ts',
  'cloud/src/audit/audit-proofs.ts',
  'cloud/src/audit/merkle.ts',
];

/**
 * Security modules not in the run yet (docs/mutation-testing.md, "Not yet in the core"):
 * the signed batch message (its declarations scored 13 survivors of the first 42 static
 * mutants: its attack tests must build their fixtures inside the tests first) and the
 * release gate's four-eyes and halt rules.
 */
export const SECURITY_CORE_NEXT = [
  'shared/src/messages/batch-message.ts',
  'cloud/src/releases/release-gate.ts',
  'cloud/src/releases/version-lifecycles.ts',
];

const FIRST_FUNCTION = /^(export )?(async )?(function|class) /;

/** Where a module's first function or class starts (1-based), and its length in lines. */
function layout(file) {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
  return { first: lines.findIndex((line) => FIRST_FUNCTION.test(line)) + 1, total: lines.length };
}

/** A module from its first function on (a range as given stays as it is). */
export function body(entry) {
  if (entry.includes(':')) return entry;
  const { first, total } = layout(entry);
  return first > 1 ? `${entry}:${first}-${total}` : entry;
}

/** A module's declarations above its first function, when it has any. */
export function declarations(entry) {
  if (entry.includes(':')) return [];
  const { first } = layout(entry);
  return first > 1 ? [`${entry}:1-${first - 1}`] : [];
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const common = {
  packageManager: 'npm',
  testRunner: 'vitest',
  // The security core's own unit tests (vitest.mutation.config.ts; no rig).
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  // A mutant's run re-imports its test files; on a loaded machine that alone can take
  // seconds, which the default (5 s + 1.5 x the tests' own time) calls a timeout.
  timeoutMS: 20_000,
  // The initial run of every test with coverage: minutes of instrumented tests on a loaded
  // runner (the shared core's whole suite took more than Stryker's default 5).
  dryRunTimeoutMinutes: 30,
  concurrency: 2,
  reporters: ['json', 'clear-text', 'progress'],
  clearTextReporter: { allowEmojis: false, reportTests: false, reportMutants: true },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.data', '.rig', '.sst', 'bench-results', 'reports', 'coverage'],
  // Error messages are for people; a check's outcome is its error code, which the tests
  // assert. Mutating every message would double the run and pin wording, not checks.
  // (The literals that are checks — typ names, 'ES256', roles — sit in the declarations
  // or are compared in both directions by the tests; see docs/mutation-testing.md.)
  mutator: { excludedMutations: ['StringLiteral'] },
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...common,
  mutate: SECURITY_CORE.map(body),
  jsonReporter: { fileName: 'reports/mutation/security-core.json' },
  thresholds: { high: 95, low: 90, break: 90 },
};
