import { describe, expect, it } from 'vitest';
import { atrCommand } from './atr-command';

function atr(hex: string, json: boolean) {
  let stdout = '';
  let stderr = '';
  const code = atrCommand(hex, json, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('cardfleet-agent atr', () => {
  it('gives every byte as hex under --json, the TCK included', () => {
    const out = JSON.parse(atr('3BFA1300FF813180450031C173C00100009000B1', true).stdout);
    expect(out.tck).toEqual({ present: true, value: 'B1', valid: true });
    expect(out.interfaceBytes[0]).toMatchObject({ name: 'TA1', value: '13' });
    expect(out.historical).toMatchObject({ bytes: '0031C173C00100009000', categoryIndicator: '00' });
    expect(out.historical.status).toMatchObject({ lcs: '00', sw: '9000' });
    expect(out.valid).toBe(true);
  });

  it('analyses and names the Gemalto guide ATR10 with a warning instead of refusing it', () => {
    const text = atr('3B0000417374726964', false);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Gemalto IDPrime / SafeNet (middleware ATR10)');
    expect(text.stderr).toContain('[ATR_TRAILING_BYTES]');
    const json = JSON.parse(atr('3B0000417374726964', true).stdout);
    expect(json).toMatchObject({ valid: false, extraBytes: '00417374726964' });
    expect(json.warnings.map((w: { code: string }) => w.code)).toEqual(['ATR_TRAILING_BYTES']);
  });
});
