import { execFileSync } from 'node:child_process';
import { connect as mqttConnect } from 'mqtt';
import * as pkcs11js from 'pkcs11js';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadPcsclite, type PcscLite } from '../../edge-agent/src/readers/pcsclite-binding';
import { attachToVpcd, type VpcdLink } from '../../edge-agent/src/virtual-card/vpcd-link';
import { waitForEmptyReader } from '../support/empty-reader';
import { createMinimalCard } from './minimal-card';

type Reader = Parameters<Parameters<PcscLite['on']>[1]>[0];

const rig = inject('rig');

/**
 * Resolves with the named reader once pcscd reports *this* card in it (by ATR: a card
 * a previous test pulled out may still look present until pcscd's next poll).
 */
function readerWithCard(pcsc: PcscLite, name: string, atr: Uint8Array): Promise<Reader> {
  return new Promise((resolve, reject) => {
    pcsc.on('error', reject);
    pcsc.on('reader', (reader: Reader) => {
      if (reader.name !== name) return;
      reader.on('status', (status) => {
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        if (present && status.atr && Buffer.from(atr).equals(status.atr)) resolve(reader);
      });
    });
  });
}

function transmit(reader: Reader, apdu: number[], protocol: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    reader.transmit(Buffer.from(apdu), 258, protocol, (err, data) => (err ? reject(err) : resolve(data))),
  );
}

describe('test rig', () => {
  let link: VpcdLink | undefined;
  let pcsc: PcscLite | undefined;
  afterEach(async () => {
    pcsc?.close();
    await link?.close();
  });

  it('carries APDUs pcsclite → pcscd → vpcd → a virtual card in shared mode', async () => {
    const card = createMinimalCard();
    await waitForEmptyReader(rig.readerNames[0]);
    link = attachToVpcd(card, { port: rig.vpcdPorts[0] });
    await link.connected;
    pcsc = loadPcsclite()();
    const reader = await readerWithCard(pcsc, rig.readerNames[0], card.atr);
    const protocol = await new Promise<number>((resolve, reject) =>
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, p) => (err ? reject(err) : resolve(p))),
    );
    // SELECT by AID (ISO 7816-4 §11.2.2): CLA 00, INS A4, P1 04 by name, P2 00, Lc 0A, the test AID.
    const select = await transmit(
      reader,
      [0x00, 0xa4, 0x04, 0x00, 0x0a, 0xa0, 0, 0, 0, 0x62, 3, 1, 0x0c, 6, 1],
      protocol,
    );
    expect(select.toString('hex')).toBe('9000');
    // GET CHALLENGE (§11.5.3): CLA 00, INS 84, P1 P2 00 00, Le 08.
    const challenge = await transmit(reader, [0x00, 0x84, 0x00, 0x00, 0x08], protocol);
    expect(challenge).toHaveLength(10);
    expect(challenge.subarray(8).toString('hex')).toBe('9000');
    expect(card.commands.map((c) => Buffer.from(c).toString('hex'))).toEqual([
      '00a404000aa00000006203010c0601',
      '0084000008',
    ]);
  });

  it('sets the loopback quickack route', () => {
    const routes = execFileSync('ip', ['route', 'show', 'table', 'local']).toString();
    expect(routes).toMatch(/^local 127\.0\.0\.1 .*quickack 1/m);
  });

  it('serves a SoftHSM2 token through pkcs11js', () => {
    process.env.SOFTHSM2_CONF = rig.softhsmConf;
    const p11 = new pkcs11js.PKCS11();
    p11.load(rig.softhsmModule);
    p11.C_Initialize();
    try {
      const labels = p11.C_GetSlotList(true).map((slot) => p11.C_GetTokenInfo(slot).label.trim());
      expect(labels).toContain(rig.tokenLabel);
    } finally {
      p11.C_Finalize();
    }
  });

  it('runs a Mosquitto broker that delivers QoS 1 messages', async () => {
    const client = mqttConnect(rig.mqttUrl, { clientId: 'rig-test', reconnectPeriod: 0 });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      const received = new Promise<string>((resolve) =>
        client.once('message', (_t, payload) => resolve(payload.toString())),
      );
      await client.subscribeAsync('rig/echo', { qos: 1 });
      await client.publishAsync('rig/echo', 'hello', { qos: 1 });
      expect(await received).toBe('hello');
    } finally {
      await client.endAsync();
    }
  });
});
