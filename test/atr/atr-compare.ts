import { GEMALTO_MIDDLEWARE_ATRS } from '@cardfleet/shared';
import type { atrJson } from '../../edge-agent/src/cli/atr-command';
import type { AtrAnalysis } from './atr-analysis';

type Ours = ReturnType<typeof atrJson>;

const gemaltoNames = new Set(GEMALTO_MIDDLEWARE_ATRS.flatMap((c) => c.names));

/**
 * The facts on which `cardfleet-agent atr --json` and ATR_analysis must agree; the
 * wording of meanings and the differences docs/atr.md lists are left out on purpose:
 *  - our ATR_TCK_MISSING / ATR_TCK_UNEXPECTED warnings (ATR_analysis says nothing);
 *  - names from the Gemalto guide's [ATR] list (ATR_analysis reads only smartcard_list.txt);
 *  - an ATR that ends inside or right after its interface bytes: ATR_analysis stops there
 *    and prints neither historical bytes nor names.
 */
export function comparable(ours: Ours) {
  const cutInInterface =
    ours.warnings.some((w) => w.message.startsWith('the ATR ends where')) ||
    (ours.historical.bytes === '' && !ours.tck.present && ours.extraBytes === '');
  return {
    interfaceBytes: ours.interfaceBytes.map((b) => ({ name: b.name, value: b.value })),
    protocols: ours.protocols,
    historical: cutInInterface ? undefined : ours.historical.bytes,
    tck: ours.tck.present ? { value: ours.tck.value, valid: ours.tck.valid } : undefined,
    // Where ATR_analysis stops early it judges nothing; our warnings say why (docs/atr.md).
    irregular: cutInInterface
      ? undefined
      : ours.tck.valid === false ||
        ours.warnings.some((w) => w.code === 'ATR_TRUNCATED' || w.code === 'ATR_TRAILING_BYTES'),
    names: cutInInterface ? [] : ours.cardNames.filter((n) => !gemaltoNames.has(n)).sort(),
  };
}

export function comparableAnalysis(theirs: AtrAnalysis) {
  return {
    interfaceBytes: theirs.interfaceBytes,
    protocols: theirs.protocols,
    historical: theirs.historical,
    tck: theirs.tck,
    irregular: theirs.historical === undefined ? undefined : theirs.irregular,
    names: [...theirs.names].sort(),
  };
}
