import { CardfleetError } from '../errors/cardfleet-error';

/**
 * Value written to `ApduResponseCodesField` (the seed lost the format; ours is in
 * docs/encoding-format.md): the final status word of every APDU the script sent, in
 * execution order, as 4 upper-case hex digits separated by commas — e.g.
 * `9000,9000,6A82`. "Final" means after 61XX chaining and 6CXX re-sending: the SW of
 * the last exchange. CR and PIN lines send nothing and contribute nothing; a script
 * that sent nothing gives the empty string.
 */
export function formatResponseCodes(statusWords: readonly number[]): string {
  return statusWords.map((sw) => sw.toString(16).toUpperCase().padStart(4, '0')).join(',');
}

export function parseResponseCodes(text: string): number[] {
  if (text === '') return [];
  return text.split(',').map((item) => {
    if (!/^[0-9A-F]{4}$/.test(item))
      throw new CardfleetError('RESPONSE_CODES_BAD', `'${item}' is not a 4-digit status word`);
    return Number.parseInt(item, 16);
  });
}
