import {
  type ApduApplication,
  type ApduScript,
  type Application,
  type ApplicationResult,
  CardfleetError,
  type LicenseApplication,
  type Pkcs11Application,
} from '@cardfleet/shared';
import type { CardChannel, ReaderPort } from '../readers/reader-port';
import type { TokenIdentity } from './card-serial';
import type { Clock } from './clock';
import type { FieldStore } from './field-store';
import type { Prompter } from './prompter';

/**
 * The one face every application kind shows the job runner (docs/encoding-format.md:
 * §6, application kinds). The runner owns the order, the shared field
 * store and the stop rule; a handler runs one application on the job's card and
 * answers with its result. The handlers live in src/applications/; the runner knows
 * them only through this port.
 */
export interface ApplicationContext {
  /** The job's card. */
  channel: CardChannel;
  /** Every reader (a License application finds the batch card on another one). */
  readers: ReaderPort;
  /** The job's fields, shared by all applications of the encoding. */
  fields: FieldStore;
  /** The bundle's parsed scripts by file name. */
  scripts: ReadonlyMap<string, ApduScript>;
  prompter: Prompter;
  clock: Clock;
  /** APDUs sent so far out of the application's total. */
  progress: (done: number, total: number) => void;
  /** A PKCS#11 or License application names the token it found on the card (card-serial.ts). */
  identifyToken?: (token: TokenIdentity) => void;
}

export type ApplicationHandler<A extends Application = Application> = (
  app: A,
  context: ApplicationContext,
) => Promise<ApplicationResult>;

/** One handler per application kind; a station without PKCS#11 or licensing leaves those out. */
export interface ApplicationHandlers {
  apdu: ApplicationHandler<ApduApplication>;
  pkcs11?: ApplicationHandler<Pkcs11Application>;
  license?: ApplicationHandler<LicenseApplication>;
}

/**
 * Thrown by a handler when the reader or card went away: the application fails, the
 * job stops with this code and nothing more is sent (the card is never retried).
 */
export class CardLostError extends CardfleetError {}
