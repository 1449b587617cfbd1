import fc from 'fast-check';

/**
 * Mutation runs only (vitest.mutation*.config.ts): every property test draws the same
 * cases in every run, so whether a mutant survives depends on the code and the tests,
 * not on the draw — which the survivor ratchet (survivor-ratchet.mjs) relies on when it
 * compares one run's survivors with the recorded ones (docs/mutation-testing.md).
 * The plain unit run keeps drawing new cases each time.
 */
fc.configureGlobal({ seed: 20_261_206 });
