import { DI_TABLE, FI_TABLE } from './atr-tables';

/**
 * What each interface byte of an ATR means, ISO/IEC 7816-3:2006 §8.3 (global bytes) and
 * §11.4 (T=1 specific bytes); the wording follows pcsc-tools' ATR_analysis (the PC/SC
 * notes' example output) where the two agree, so the corpus test can compare them.
 * `protocol` is the T of the TD byte that announced the byte (0 for the first group).
 */
export function interfaceByteMeaning(
  kind: 'A' | 'B' | 'C',
  index: number,
  protocol: number,
  value: number,
): string {
  if (kind === 'A') return taMeaning(index, protocol, value);
  if (kind === 'B') return tbMeaning(index, protocol, value);
  return tcMeaning(index, protocol, value);
}

/** TA1 (§8.3): Fi and Di, the clock rate conversion and baud rate adjustment factors. */
export function ta1Factors(value: number): { fi?: number; di?: number; fMaxMHz?: number } {
  const f = FI_TABLE[value >> 4];
  const di = DI_TABLE[value & 0x0f];
  return { ...(f ? { fi: f[0], fMaxMHz: f[1] } : {}), ...(di ? { di } : {}) };
}

function taMeaning(index: number, protocol: number, value: number): string {
  if (index === 1) {
    const { fi, di, fMaxMHz = 0 } = ta1Factors(value);
    return fi && di
      ? `Fi=${fi}, Di=${di}, ${Math.floor(fi / di)} cycles/ETU (${Math.floor((4e6 * di) / fi)} bits/s at 4.00 MHz, ${Math.floor((fMaxMHz * 1e6 * di) / fi)} bits/s for fMax=${fMaxMHz} MHz)`
      : 'Fi/Di RFU';
  }
  if (index === 2) {
    // §8.3 TA2, the specific mode byte: b8 = unable to change mode, b5 = Fi/Di implicit.
    const change = value & 0x80 ? 'unable to change' : 'capable to change';
    const params = value & 0x10 ? 'implicitly defined' : 'defined by interface bytes';
    return `specific mode: protocol T=${value & 0x0f} - ${change} - parameters ${params}`;
  }
  if (protocol === 1) return `IFSC: ${value}`; // §11.4.2
  if (protocol === 15) {
    // §8.3 first TA after T=15: clock stop indicator X (b8-b7) and class indicator U (b6-b1).
    const clockStop = ['not supported', 'state L', 'state H', 'no preference'][value >> 6];
    const classes = [
      [0x01, 'A 5V'],
      [0x02, 'B 3V'],
      [0x04, 'C 1.8V'],
      [0x08, 'D RFU'],
      [0x10, 'E RFU'],
    ] as const;
    const accepted = classes.filter(([bit]) => value & bit).map(([, name]) => name);
    return `Clock stop: ${clockStop} - Class accepted by the card: ${accepted.join(', ') || 'none'}`;
  }
  return `protocol T=${protocol} parameter`;
}

function tbMeaning(index: number, protocol: number, value: number): string {
  if (index === 1) {
    // §8.3: TB1 (P and I of the programming voltage) is deprecated; 00 = VPP not connected.
    if (value === 0) return 'VPP is not electrically connected';
    return `Programming Param P: ${value & 0x1f} Volts, I: ${value >> 5} milliamperes (deprecated)`;
  }
  if (index === 2) {
    // §8.3: TB2 codes PI2, the programming voltage in decivolts (50..250); deprecated.
    return value >= 50 && value <= 250
      ? `Programming Param PI2 (PI1 should be ignored): ${value} (dV) (deprecated)`
      : `Programming Param PI2: ${value} is RFU (deprecated)`;
  }
  if (protocol === 1)
    return `Block Waiting Integer: ${value >> 4} - Character Waiting Integer: ${value & 0x0f}`;
  if (protocol === 15) {
    // §8.3 first TB after T=15: SPU, the use of contact C6; b8 set = proprietary use.
    if (value === 0) return 'SPU: contact C6 not used';
    return `SPU: ${value & 0x80 ? 'proprietary' : 'standard'} use of contact C6 (${value & 0x7f})`;
  }
  return `protocol T=${protocol} parameter`;
}

function tcMeaning(index: number, protocol: number, value: number): string {
  if (index === 1)
    return value === 0xff ? 'Extra guard time: 255 (special value)' : `Extra guard time: ${value}`;
  if (index === 2) return `Work waiting time: 960 x ${value} x (Fi/F)`;
  // §11.4.4: b1 chooses the error detection code; the other bits are RFU.
  if (protocol === 1) return `Error detection code: ${value === 1 ? 'CRC' : value === 0 ? 'LRC' : 'RFU'}`;
  return `protocol T=${protocol} parameter`;
}
