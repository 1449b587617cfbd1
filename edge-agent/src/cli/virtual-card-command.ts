import { toHex } from '@cardfleet/shared';
import { loadCardProfile } from '../virtual-card/card-profile';
import { attachToVpcd, parseVpcdAddress } from '../virtual-card/vpcd-link';
import { type CliIo, EXIT_OK } from './cli-io';

/** `virtual-card --profile p.json [--vpcd HOST:PORT]`: attaches a virtual card to vpcd until stopped. */
export async function virtualCardCommand(
  profilePath: string,
  vpcd: string | undefined,
  io: CliIo,
  stop: Promise<void>,
): Promise<number> {
  const card = loadCardProfile(profilePath);
  const { host, port } = parseVpcdAddress(vpcd);
  const link = attachToVpcd(card, { host, port });
  await link.connected;
  io.stdout(`virtual card ${toHex(card.atr)} attached to vpcd at ${host}:${port} — stop with Ctrl-C\n`);
  await Promise.race([stop, link.closed]);
  await link.close();
  return EXIT_OK;
}
