import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validateBundle } from '@cardfleet/shared';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { loadPcsclite } from '../../edge-agent/src/readers/pcsclite-binding';
import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { runEncoding } from '../../edge-agent/src/runner/job-runner';
import { median, startBenchRig, startCardProcess } from './bench-rig';

/**
 * Per-APDU cost on the same virtual card (pcscd + vpcd), for the agent's runner, a
 * bare pcsclite transmit loop and pcsc-tools' scriptor. Each is measured as the slope
 * between a 200- and a 2,000-APDU run, so start-up cancels out; 5 interleaved rounds,
 * median slope. Prints figures and ratios; asserts nothing.
 */
const SMALL = 200;
const LARGE = 2000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const APDU_HEX = '00CA018202'; // GET DATA 0182: CardOS version, 2 bytes + 9000
const exec = promisify(execFile);

type Method = (n: number) => Promise<number>;

export async function apduOverheadBenchmark(): Promise<Record<string, unknown>> {
  const rig = await startBenchRig();
  const card = await startCardProcess(rig);
  const readers = new PcscliteReaders();
  const work = mkdtempSync(join(tmpdir(), 'cardfleet-bench-'));
  try {
    const deadline = Date.now() + 10_000;
    while (!(await readers.readers()).some((r) => r.name === rig.reader && r.cardPresent)) {
      if (Date.now() > deadline) throw new Error('the virtual card did not appear');
      await new Promise((r) => setTimeout(r, 20));
    }
    const methods: Record<string, Method> = {
      'agent runner': agentRunner(readers, rig.reader),
      'bare pcsclite loop': bareLoop(rig.reader),
      scriptor: scriptor(rig.reader, work),
    };
    const slopes: Record<string, number[]> = Object.fromEntries(Object.keys(methods).map((m) => [m, []]));
    const order = Object.entries(methods);
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate who goes first, so no method always pays for a cold start.
      const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
      for (const [name, method] of rotated) {
        process.stderr.write(`round ${round + 1}/${ROUNDS}: ${name}\n`);
        // Collect garbage before each measurement (when exposed) so no method pays for another's.
        globalThis.gc?.();
        const small = await method(SMALL);
        globalThis.gc?.();
        const large = await method(LARGE);
        slopes[name]?.push(((large - small) / (LARGE - SMALL)) * 1000);
      }
    }
    const bare = median(slopes['bare pcsclite loop'] ?? []);
    const bareRounds = slopes['bare pcsclite loop'] ?? [];
    const rows = Object.entries(slopes).map(([name, values]) => ({
      method: name,
      usPerApdu: Number(median(values).toFixed(1)),
      ratioToBareLoop: Number((median(values) / bare).toFixed(3)),
      // The same ratio taken within each round, then the median: less sensitive to
      // the machine getting faster or slower between rounds.
      medianRoundRatio: Number(median(values.map((v, i) => v / (bareRounds[i] ?? v))).toFixed(3)),
      rounds: values.map((v) => Number(v.toFixed(1))),
    }));
    console.log(
      `\nper-APDU cost through pcscd + vpcd (slope ${SMALL}→${LARGE} APDUs, median of ${ROUNDS} rounds)`,
    );
    console.table(rows.map(({ rounds: _rounds, ...row }) => row));
    return { benchmark: 'apdu-overhead', apdu: APDU_HEX, small: SMALL, large: LARGE, rounds: ROUNDS, rows };
  } finally {
    await readers.close();
    await card.stop();
    await rig.stop();
  }
}

function agentRunner(readers: PcscliteReaders, reader: string): Method {
  const bundles = new Map<number, ReturnType<typeof validateBundle>['bundle']>();
  for (const n of [SMALL, LARGE]) {
    const script = `${Array.from({ length: n }, () => `RAW:${APDU_HEX}`).join('\n')}\n`;
    const files = { 'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\n', 's.apdu': script };
    const result = validateBundle({
      files: Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })),
    });
    if (!result.bundle) throw new Error(result.problems.map((p) => p.describe()).join('\n'));
    bundles.set(n, result.bundle);
  }
  return async (n) => {
    const bundle = bundles.get(n);
    if (!bundle) throw new Error('no bundle');
    const started = performance.now();
    const run = await runEncoding({
      bundle,
      readers,
      reader,
      fields: {},
      clock: systemClock,
      prompter: { askPins: async () => [] },
      handlers: applicationHandlers(),
    });
    const elapsed = performance.now() - started;
    if (run.status !== 'SUCCEEDED')
      throw new Error(`agent run failed: ${JSON.stringify(run.error ?? run.applications[0]?.failure)}`);
    return elapsed;
  };
}

function bareLoop(readerName: string): Method {
  const command = Buffer.from(APDU_HEX, 'hex');
  return async (n) => {
    const pcsc = loadPcsclite()();
    pcsc.on('error', () => undefined); // close() cancels the status wait with an error
    try {
      const reader = await new Promise<Parameters<Parameters<typeof pcsc.on>[1]>[0]>((resolve) =>
        pcsc.on('reader', (r) => {
          r.on('error', () => undefined);
          if (r.name === readerName) resolve(r);
        }),
      );
      await new Promise<void>((resolve) => reader.once('status', () => resolve()));
      const protocol = await new Promise<number>((resolve, reject) =>
        reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, p) =>
          err ? reject(err) : resolve(p),
        ),
      );
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        await new Promise<Buffer>((resolve, reject) =>
          reader.transmit(command, 258, protocol, (err, data) => (err ? reject(err) : resolve(data))),
        );
      }
      const elapsed = performance.now() - started;
      await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
      reader.close();
      return elapsed;
    } finally {
      pcsc.close();
    }
  };
}

function scriptor(reader: string, work: string): Method {
  mkdirSync(work, { recursive: true });
  const files = new Map<number, string>();
  for (const n of [SMALL, LARGE]) {
    const file = join(work, `scriptor-${n}.txt`);
    writeFileSync(file, `${Array.from({ length: n }, () => '00 CA 01 82 02').join('\n')}\n`);
    files.set(n, file);
  }
  return async (n) => {
    const started = performance.now();
    await exec('scriptor', ['-r', reader, files.get(n) ?? ''], { maxBuffer: 64 * 1024 * 1024 });
    return performance.now() - started;
  };
}
