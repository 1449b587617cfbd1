import {
  type ApplicationResult,
  BATCH_CARD_AID_HEX,
  BATCH_CARD_STATUS_WORDS,
  CardfleetError,
  describeStatusWord,
  generateLicenseCommand,
  type LicenseApplication,
  type LicenseStatus,
  licenseInput,
  parseGenerateLicenseResponse,
  parseHex,
  type Setting,
  selectBatchApplicationCommand,
  settingText,
  toHex,
} from '@cardfleet/shared';
import { transmitApdu } from '../readers/apdu-exchange';
import type { CardChannel, ReaderPort } from '../readers/reader-port';
import type { ApplicationHandler } from '../runner/application-port';
import type { Clock } from '../runner/clock';
import type { FieldStore } from '../runner/field-store';
import { settingValue } from './application-settings';
import { type CardTokenOptions, cardTokenOpener } from './card-token';
import { LicenseStore } from './license-store';

/**
 * A License application (license seed, docs/encoding-format.md §6.3): read model and
 * serial (C_GetTokenInfo, padding kept), check the card's license status first and
 * stop when it is acceptable; otherwise find the batch card by SELECT of its AID on
 * the other readers, GENERATE LICENSE (61XX → GET RESPONSE), save the license durably,
 * log in with the user PIN, load it, and read the status back.
 */
export interface LicenseHandlerOptions extends CardTokenOptions {
  licenseDirectory: string;
}

type Steps = NonNullable<ApplicationResult['steps']>;

export function createLicenseHandler(options: LicenseHandlerOptions): ApplicationHandler<LicenseApplication> {
  const openToken = cardTokenOpener(options);
  const store = new LicenseStore(options.licenseDirectory);
  return async (app, { channel, fields, readers, clock, identifyToken }) => {
    const steps: Steps = [];
    let license: (LicenseStatus & { batchCardCredit?: number }) | undefined;
    const outputs: Record<string, string> = {};
    const result = (failure?: { code: string; message: string }): ApplicationResult => ({
      name: app.name,
      kind: 'license',
      status: failure ? 'FAILED' : 'SUCCEEDED',
      outputs,
      apdus: [],
      steps,
      ...(license ? { license } : {}),
      ...(failure ? { failure: { ...failure, message: fields.redact().text(failure.message) } } : {}),
    });
    try {
      const { module, slot } = openToken(app, channel.reader);
      const info = module.tokenInfo(slot);
      identifyToken?.({ model: info.model, serial: info.serialNumber });
      const model = tokenBytes(info.model, 'model');
      const serial = tokenBytes(info.serialNumber, 'serial number');
      const session = module.openSession(slot, true);
      try {
        const report = (status: LicenseStatus, credit?: number) => {
          license = { ...status, ...(credit === undefined ? {} : { batchCardCredit: credit }) };
          const field = settingText(app.settings.LicenseStatusField);
          if (field) {
            outputs[field] = JSON.stringify(license);
            fields.set(field, outputs[field]);
          }
        };
        const before = session.licenseStatus();
        steps.push({
          step: 'ReadLicenseStatus',
          status: 'DONE',
          detail: before.acceptable ? 'acceptable' : 'not acceptable',
        });
        if (settingText(app.settings.LicenseAction) === 'status' || before.acceptable) {
          if (before.acceptable && settingText(app.settings.LicenseAction) !== 'status') {
            steps.push({
              step: 'GenerateLicense',
              status: 'SKIPPED',
              detail: 'the card already has an acceptable license',
            });
          }
          report(before);
          return result();
        }
        let saved = store.find(model, serial);
        let credit: number | undefined;
        if (saved) {
          steps.push({
            step: 'GenerateLicense',
            status: 'SKIPPED',
            detail: `using the license generated on ${saved.generatedAt}`,
          });
        } else {
          const startDate = startDateOf(app.settings.LicenseStartDate, fields, clock);
          const aid = parseHex(settingText(app.settings.BatchCardAid) ?? BATCH_CARD_AID_HEX, 'BatchCardAid');
          const generated = await generateOnBatchCard(
            readers,
            channel.reader,
            aid,
            licenseInput(model, serial, startDate),
          );
          credit = generated.credit;
          saved = {
            model: info.model,
            serial: info.serialNumber,
            startDate,
            endDate: generated.endDate,
            license: toHex(generated.license),
            generatedAt: clock.isoNow(),
          };
          // Persist before loading: a failure from here on must not cost a second credit.
          store.save(model, serial, saved);
          steps.push({
            step: 'GenerateLicense',
            status: 'DONE',
            detail: `valid ${startDate}–${generated.endDate} (batch card in "${generated.reader}")`,
          });
        }
        const pin = settingValue(app.settings.Pin, fields);
        if (pin === undefined)
          throw new CardfleetError('ENCODING_INCOMPLETE', 'loading a license needs the user PIN (Pin)');
        session.login('user', pin);
        session.loadLicense(parseHex(saved.license));
        steps.push({ step: 'LoadLicense', status: 'DONE' });
        const after = session.licenseStatus();
        session.logout();
        if (after.licensePresent) store.remove(model, serial);
        report(after, credit);
        if (!after.acceptable)
          throw new CardfleetError(
            'LICENSE_NOT_ACCEPTABLE',
            `the loaded license is not acceptable (serialValid=${after.serialValid}, dateValid=${after.dateValid})`,
          );
        return result();
      } finally {
        session.close();
      }
    } catch (error) {
      if (!(error instanceof CardfleetError)) throw error;
      return result({ code: error.code, message: error.message });
    }
  };
}

/** Finds the batch card by its AID on the other readers (never by reader name: PC/SC seed) and generates. */
async function generateOnBatchCard(readers: ReaderPort, exclude: string, aid: Uint8Array, input: Uint8Array) {
  for (const state of await readers.readers()) {
    if (state.name === exclude || !state.cardPresent) continue;
    let channel: CardChannel;
    try {
      channel = await readers.connect(state.name);
    } catch {
      continue;
    }
    try {
      const select = await transmitApdu(channel, selectBatchApplicationCommand(aid));
      if (select.sw !== 0x9000) continue;
      const outcome = await transmitApdu(channel, generateLicenseCommand(input));
      if (outcome.sw !== 0x9000) {
        const info = describeStatusWord(outcome.sw, BATCH_CARD_STATUS_WORDS);
        throw new CardfleetError(
          outcome.sw === 0x6985 ? 'LICENSE_NO_CREDIT' : 'LICENSE_GENERATION_FAILED',
          `GENERATE LICENSE: ${info.hex} (${info.meaning})`,
          {
            details: { sw: info.hex },
          },
        );
      }
      const { endDate, license } = parseGenerateLicenseResponse(outcome.data);
      // GET DATA 00 CA 01 01: remaining credit, where the batch card tells it.
      const credit = await transmitApdu(channel, Uint8Array.of(0x00, 0xca, 0x01, 0x01, 0x02));
      return {
        endDate,
        license,
        reader: state.name,
        credit:
          credit.sw === 0x9000 && credit.data.length === 2
            ? ((credit.data[0] ?? 0) << 8) | (credit.data[1] ?? 0)
            : undefined,
      };
    } finally {
      await channel.disconnect();
    }
  }
  throw new CardfleetError('BATCH_CARD_NOT_FOUND', `no reader holds a card answering to AID ${toHex(aid)}`);
}

function tokenBytes(text: string, what: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length !== 16)
    throw new CardfleetError('LICENSE_BAD_TOKEN_INFO', `the token's ${what} is not 16 bytes`);
  return bytes;
}

function startDateOf(setting: Setting | undefined, fields: FieldStore, clock: Clock): string {
  const text = settingValue(setting, fields) ?? 'today';
  return text === 'today' ? clock.isoNow().slice(0, 10).replaceAll('-', '') : text;
}
