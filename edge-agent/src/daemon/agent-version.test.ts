import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentVersion } from './agent-version';

describe("the agent's version", () => {
  it("is the edge agent package's version", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(agentVersion()).toBe(pkg.version);
    expect(agentVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
