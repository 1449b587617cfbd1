import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../edge-agent/src/cli/main';
import { vendorModule } from '../support/vendor-module';

async function agent(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('cardfleet-agent tokens and license status', () => {
  let vendor: ReturnType<typeof vendorModule>;
  let config: string;
  beforeAll(() => {
    vendor = vendorModule([{ reader: 'Virtual PCD 00 00', main: 'card-0', signature: 'sign-0' }]);
    config = join(mkdtempSync(join(tmpdir(), 'cardfleet-config-')), 'agent.json');
    writeFileSync(config, JSON.stringify({ pkcs11Modules: { 'IDPrimePKCS11.dll': vendor.module } }));
  });

  it('lists module, slots and tokens', async () => {
    const result = await agent('tokens', '--config', config, '--json');
    expect(result.code).toBe(0);
    const [report] = JSON.parse(result.stdout);
    expect(
      report.slots.map((s: { description: string; token: { label: string } }) => [
        s.description,
        s.token.label,
      ]),
    ).toEqual([
      ['Virtual PCD 00 00', 'card-0'],
      ['Virtual PCD 00 00 - Signature', 'sign-0'],
    ]);
    const text = await agent('tokens', '--module', vendor.module);
    expect(text.stdout).toContain('slot 0 Virtual PCD 00 00: "card-0" model "SoftHSM v2"');
  });

  it('reads the license status of the card in a reader', async () => {
    const result = await agent(
      'license',
      'status',
      '--reader',
      'Virtual PCD 00 00',
      '--config',
      config,
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ slot: '0', licensePresent: false, acceptable: false });
  });

  it('explains what is missing', async () => {
    expect(await agent('tokens')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('needs --module'),
    });
    expect(await agent('license', 'status', '--module', vendor.module)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--reader NAME or --slot ID'),
    });
  });
});
