import { CardfleetError } from '@cardfleet/shared';
import { openTokenModule } from '../tokens/pkcs11js-module';
import { slotByReaderName } from '../tokens/reader-slots';
import { type CliIo, EXIT_OK } from './cli-io';

/** `tokens [--module PATH] [--json]`: module info, slots, and the token in each. */
export function tokensCommand(modulePaths: string[], json: boolean, io: CliIo): number {
  if (modulePaths.length === 0)
    throw new CardfleetError('CLI_USAGE', 'tokens needs --module PATH (or pkcs11Modules in --config)');
  const report = modulePaths.map((path) => {
    const module = openTokenModule(path);
    return {
      module: module.info(),
      slots: module.slots(false).map((slot) => ({
        ...slot,
        token: slot.flags.tokenPresent ? module.tokenInfo(slot.id) : null,
      })),
    };
  });
  if (json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT_OK;
  }
  for (const { module, slots } of report) {
    io.stdout(
      `${module.path}: ${module.manufacturer} ${module.description} (Cryptoki ${module.cryptokiVersion})\n`,
    );
    for (const slot of slots) {
      const token = slot.token;
      const state = token
        ? `"${token.label}" model "${token.model.trimEnd()}" serial "${token.serialNumber.trimEnd()}"${pinState(token.flags)}`
        : 'no token';
      io.stdout(`  slot ${slot.id} ${slot.description}: ${state} [flags: ${slot.flagNames.join(', ')}]\n`);
    }
  }
  return EXIT_OK;
}

function pinState(flags: {
  userPinLocked: boolean;
  userPinFinalTry: boolean;
  userPinCountLow: boolean;
  tokenInitialized: boolean;
}): string {
  if (!flags.tokenInitialized) return ' (not initialised)';
  if (flags.userPinLocked) return ' (user PIN LOCKED)';
  if (flags.userPinFinalTry) return ' (user PIN: final try)';
  if (flags.userPinCountLow) return ' (user PIN: tries were missed)';
  return '';
}

/** `license status (--reader NAME | --slot ID) --module PATH [--json]`. */
export function licenseStatusCommand(
  modulePath: string | undefined,
  reader: string | undefined,
  slot: string | undefined,
  json: boolean,
  io: CliIo,
): number {
  if (!modulePath)
    throw new CardfleetError(
      'CLI_USAGE',
      'license status needs --module PATH (or exactly one module in --config)',
    );
  if (!reader && !slot)
    throw new CardfleetError('CLI_USAGE', 'license status needs --reader NAME or --slot ID');
  const module = openTokenModule(modulePath);
  const slotId = slot ?? slotByReaderName(module, reader ?? '', 'main');
  const session = module.openSession(slotId, false);
  try {
    const status = session.licenseStatus();
    if (json) io.stdout(`${JSON.stringify({ slot: slotId, ...status }, null, 2)}\n`);
    else {
      const dates = `${status.startDate === '00000000' ? 'no start limit' : `from ${status.startDate}`}, ${status.endDate === '00000000' ? 'no end limit' : `until ${status.endDate}`}`;
      io.stdout(
        `slot ${slotId}: ${status.acceptable ? 'license ACCEPTABLE' : 'license NOT acceptable'} (present ${status.licensePresent}, serial valid ${status.serialValid}, dates valid ${status.dateValid}; ${dates})\n`,
      );
    }
    return EXIT_OK;
  } finally {
    session.close();
  }
}
