import { describe, expect, it } from 'vitest';
import { interfaceByteMeaning, ta1Factors } from './atr-interface-bytes';

// What each interface byte says, ISO/IEC 7816-3:2006 §8.3 and §11.4, worded as
// pcsc-tools' ATR_analysis prints it (docs/atr.md).
describe('interface bytes', () => {
  it('reads TA1 as Fi, Di and the speeds they give', () => {
    expect(interfaceByteMeaning('A', 1, 0, 0x11)).toBe(
      'Fi=372, Di=1, 372 cycles/ETU (10752 bits/s at 4.00 MHz, 13440 bits/s for fMax=5 MHz)',
    );
    expect(interfaceByteMeaning('A', 1, 0, 0x96)).toBe(
      'Fi=512, Di=32, 16 cycles/ETU (250000 bits/s at 4.00 MHz, 312500 bits/s for fMax=5 MHz)',
    );
    expect(interfaceByteMeaning('A', 1, 0, 0xa8)).toBe(
      'Fi=768, Di=12, 64 cycles/ETU (62500 bits/s at 4.00 MHz, 117187 bits/s for fMax=7.5 MHz)',
    );
    expect(interfaceByteMeaning('A', 1, 0, 0x70)).toBe('Fi/Di RFU');
    expect(interfaceByteMeaning('A', 1, 0, 0x10)).toBe('Fi/Di RFU');
    expect(interfaceByteMeaning('A', 1, 0, 0x71)).toBe('Fi/Di RFU');
    expect(ta1Factors(0x10)).toEqual({ fi: 372, fMaxMHz: 5 });
    expect(ta1Factors(0x71)).toEqual({ di: 1 });
  });

  it('reads TA2 as the specific mode', () => {
    expect(interfaceByteMeaning('A', 2, 0, 0x01)).toBe(
      'specific mode: protocol T=1 - capable to change - parameters defined by interface bytes',
    );
    expect(interfaceByteMeaning('A', 2, 0, 0x90)).toBe(
      'specific mode: protocol T=0 - unable to change - parameters implicitly defined',
    );
  });

  it('reads TA3 and later as IFSC after T=1, clock stop and classes after T=15', () => {
    expect(interfaceByteMeaning('A', 3, 1, 0xfe)).toBe('IFSC: 254');
    expect(interfaceByteMeaning('A', 3, 15, 0x01)).toBe(
      'Clock stop: not supported - Class accepted by the card: A 5V',
    );
    expect(interfaceByteMeaning('A', 4, 15, 0x5f)).toBe(
      'Clock stop: state L - Class accepted by the card: A 5V, B 3V, C 1.8V, D RFU, E RFU',
    );
    expect(interfaceByteMeaning('A', 3, 15, 0x82)).toBe(
      'Clock stop: state H - Class accepted by the card: B 3V',
    );
    expect(interfaceByteMeaning('A', 3, 15, 0xe0)).toBe(
      'Clock stop: no preference - Class accepted by the card: none',
    );
    expect(interfaceByteMeaning('A', 3, 15, 0x24)).toBe(
      'Clock stop: not supported - Class accepted by the card: C 1.8V',
    );
    expect(interfaceByteMeaning('A', 3, 0, 0x24)).toBe('protocol T=0 parameter');
    expect(interfaceByteMeaning('A', 3, 2, 0x24)).toBe('protocol T=2 parameter');
  });

  it('reads TB1 and TB2 as the deprecated programming parameters', () => {
    expect(interfaceByteMeaning('B', 1, 0, 0x00)).toBe('VPP is not electrically connected');
    expect(interfaceByteMeaning('B', 1, 0, 0x45)).toBe(
      'Programming Param P: 5 Volts, I: 2 milliamperes (deprecated)',
    );
    expect(interfaceByteMeaning('B', 1, 0, 0x1f)).toBe(
      'Programming Param P: 31 Volts, I: 0 milliamperes (deprecated)',
    );
    expect(interfaceByteMeaning('B', 2, 0, 50)).toBe(
      'Programming Param PI2 (PI1 should be ignored): 50 (dV) (deprecated)',
    );
    expect(interfaceByteMeaning('B', 2, 0, 250)).toBe(
      'Programming Param PI2 (PI1 should be ignored): 250 (dV) (deprecated)',
    );
    expect(interfaceByteMeaning('B', 2, 0, 49)).toBe('Programming Param PI2: 49 is RFU (deprecated)');
    expect(interfaceByteMeaning('B', 2, 0, 251)).toBe('Programming Param PI2: 251 is RFU (deprecated)');
  });

  it('reads TB3 and later as BWI and CWI after T=1, SPU after T=15', () => {
    expect(interfaceByteMeaning('B', 3, 1, 0x45)).toBe(
      'Block Waiting Integer: 4 - Character Waiting Integer: 5',
    );
    expect(interfaceByteMeaning('B', 3, 15, 0x00)).toBe('SPU: contact C6 not used');
    expect(interfaceByteMeaning('B', 3, 15, 0x83)).toBe('SPU: proprietary use of contact C6 (3)');
    expect(interfaceByteMeaning('B', 3, 15, 0x03)).toBe('SPU: standard use of contact C6 (3)');
    expect(interfaceByteMeaning('B', 3, 0, 0x03)).toBe('protocol T=0 parameter');
  });

  it('reads TC1 as extra guard time, TC2 as work waiting time, TC3 after T=1 as the error detection code', () => {
    expect(interfaceByteMeaning('C', 1, 0, 0xff)).toBe('Extra guard time: 255 (special value)');
    expect(interfaceByteMeaning('C', 1, 0, 0xfe)).toBe('Extra guard time: 254');
    expect(interfaceByteMeaning('C', 2, 0, 10)).toBe('Work waiting time: 960 x 10 x (Fi/F)');
    expect(interfaceByteMeaning('C', 3, 1, 0)).toBe('Error detection code: LRC');
    expect(interfaceByteMeaning('C', 3, 1, 1)).toBe('Error detection code: CRC');
    expect(interfaceByteMeaning('C', 3, 1, 2)).toBe('Error detection code: RFU');
    expect(interfaceByteMeaning('C', 3, 15, 1)).toBe('protocol T=15 parameter');
  });
});
