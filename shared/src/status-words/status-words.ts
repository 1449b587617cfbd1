import { parseStatusWordPattern, statusWordMatches } from '../apdu-script/status-word-pattern';

/**
 * Status word meanings, ISO/IEC 7816-4:2020 §5.6 (Tables 5 and 6), with the
 * parameterised ones decoded (61XX, 6CXX, 63CX) and per-application overrides: a
 * card's own table wins over the ISO one (on the batch card 6985 means "no more
 * credit" rather than "conditions of use not satisfied").
 */
export type StatusCategory = 'success' | 'warning' | 'error';

export interface StatusWordInfo {
  sw: number;
  hex: string;
  category: StatusCategory;
  meaning: string;
}

export type StatusWordTable = Readonly<Record<string, string>>;

const ISO_7816_4: StatusWordTable = {
  '9000': 'normal processing',
  '6200': 'warning: no information given (state unchanged)',
  '6281': 'warning: part of returned data may be corrupted',
  '6282': 'warning: end of file or record reached before reading Ne bytes',
  '6283': 'warning: selected file deactivated',
  '6284': 'warning: file control information not formatted',
  '6285': 'warning: selected file in termination state',
  '6300': 'warning: no information given (state changed)',
  '6381': 'warning: file filled up by the last write',
  '6400': 'execution error: state unchanged',
  '6581': 'execution error: memory failure',
  '6700': 'wrong length',
  '6881': 'logical channel not supported',
  '6882': 'secure messaging not supported',
  '6883': 'last command of the chain expected',
  '6884': 'command chaining not supported',
  '6900': 'command not allowed',
  '6981': 'command incompatible with file structure',
  '6982': 'security status not satisfied',
  '6983': 'authentication method blocked',
  '6984': 'reference data not usable',
  '6985': 'conditions of use not satisfied',
  '6986': 'command not allowed (no current EF)',
  '6987': 'expected secure messaging data objects missing',
  '6988': 'incorrect secure messaging data objects',
  '6A00': 'wrong parameters P1-P2',
  '6A80': 'incorrect parameters in the command data field',
  '6A81': 'function not supported',
  '6A82': 'file or application not found',
  '6A83': 'record not found',
  '6A84': 'not enough memory space in the file',
  '6A85': 'Nc inconsistent with TLV structure',
  '6A86': 'incorrect parameters P1-P2',
  '6A87': 'Nc inconsistent with parameters P1-P2',
  '6A88': 'referenced data or reference data not found',
  '6A89': 'file already exists',
  '6A8A': 'DF name already exists',
  '6B00': 'wrong parameters P1-P2 (offset outside the EF)',
  '6D00': 'instruction code not supported or invalid',
  '6E00': 'class not supported',
  '6F00': 'no precise diagnosis',
};

/** Status words of the Idopte batch card (license seed). */
export const BATCH_CARD_STATUS_WORDS: StatusWordTable = {
  '6999': 'wrong application AID',
  '6E00': 'wrong CLA',
  '6A86': 'incorrect P1-P2',
  '6700': 'invalid input data length',
  '6985': 'no more credit (remaining license counter reached zero)',
  '6A80': 'invalid input data (date incorrectly formatted)',
};

/** Overrides by card application AID (hex): SWs mean what the selected application says. */
export const APPLICATION_STATUS_WORDS: Readonly<Record<string, StatusWordTable>> = {
  A0000003634D574C01: BATCH_CARD_STATUS_WORDS,
};

const NORMAL_PROCESSING: StatusWordInfo = Object.freeze({
  sw: 0x9000,
  hex: '9000',
  category: 'success',
  meaning: 'normal processing',
});

export function describeStatusWord(sw: number, overrides: StatusWordTable = {}): StatusWordInfo {
  if (sw === 0x9000 && overrides['9000'] === undefined) return NORMAL_PROCESSING;
  const hex = sw.toString(16).toUpperCase().padStart(4, '0');
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  const category: StatusCategory =
    sw === 0x9000 || sw1 === 0x61 ? 'success' : sw1 === 0x62 || sw1 === 0x63 ? 'warning' : 'error';
  const lookup = (table: StatusWordTable) => {
    if (table[hex]) return table[hex];
    for (const [pattern, meaning] of Object.entries(table)) {
      const p = parseStatusWordPattern(pattern);
      if (p && p.mask !== 0xffff && statusWordMatches(p, sw)) return meaning;
    }
    return undefined;
  };
  const meaning =
    lookup(overrides) ??
    (sw1 === 0x61
      ? `${sw2 === 0 ? 256 : sw2} response bytes still available (GET RESPONSE)`
      : sw1 === 0x6c
        ? `wrong Le: exact length is ${sw2 === 0 ? 256 : sw2}`
        : sw1 === 0x63 && (sw2 & 0xf0) === 0xc0
          ? `verification failed, ${sw2 & 0x0f} tries left`
          : undefined) ??
    lookup(ISO_7816_4) ??
    (sw1 === 0x90 ? 'normal processing (proprietary)' : `unknown status word`);
  return { sw, hex, category, meaning };
}

export function isSuccessStatus(sw: number): boolean {
  return sw === 0x9000;
}
