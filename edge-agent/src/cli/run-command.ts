import { GEMALTO_MIDDLEWARE_ATRS, validateBundle } from '@cardfleet/shared';
import { loadSystemSmartcardList, readBundleFromPath, readFieldsFile } from '@cardfleet/shared/node';
import { applicationHandlers } from '../applications/application-handlers';
import { createLicenseHandler } from '../applications/license-application';
import { createPkcs11Handler } from '../applications/pkcs11-application';
import type { AgentConfig } from '../config/agent-config';
import type { ReaderPort } from '../readers/reader-port';
import { systemClock } from '../runner/clock';
import { type EncodingRun, runEncoding } from '../runner/job-runner';
import type { Prompter } from '../runner/prompter';
import { type CliIo, EXIT_BAD_INPUT, EXIT_CARD_REFUSED, EXIT_OK, problemLine } from './cli-io';

/**
 * `run <encoding-or-bundle> --reader NAME [--fields f.json] [--json]`. Exit 0 when
 * every application succeeded, 1 when the card refused or failed (CARD_* codes), 2 on
 * bad input (invalid bundle, fields, unknown reader, a PIN that breaks its rule).
 */
export interface RunCommandOptions {
  path: string;
  reader: string;
  fieldsPath: string | undefined;
  json: boolean;
  port: ReaderPort;
  prompter: Prompter;
  config: AgentConfig;
}

export async function runCommand(options: RunCommandOptions, io: CliIo): Promise<number> {
  const { bundle, problems } = validateBundle(readBundleFromPath(options.path));
  if (!bundle) {
    for (const problem of problems) io.stdout(problemLine(problem));
    return EXIT_BAD_INPUT;
  }
  const fields = options.fieldsPath ? readFieldsFile(options.fieldsPath) : {};
  const result = await runEncoding({
    bundle,
    readers: options.port,
    reader: options.reader,
    fields,
    prompter: options.prompter,
    clock: systemClock,
    knownCards: [GEMALTO_MIDDLEWARE_ATRS, loadSystemSmartcardList()],
    handlers: applicationHandlers({
      pkcs11: createPkcs11Handler({ modules: options.config.pkcs11Modules }),
      license: createLicenseHandler({
        modules: options.config.pkcs11Modules,
        licenseDirectory: options.config.licenseDirectory,
      }),
    }),
  });
  if (options.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(describeRun(result));
  return exitCodeOf(result);
}

export function exitCodeOf(result: EncodingRun): number {
  if (result.status === 'SUCCEEDED') return EXIT_OK;
  const codes = [result.error?.code, ...result.applications.map((a) => a.failure?.code)].filter(
    (c): c is string => c !== undefined,
  );
  return codes.some((c) => c.startsWith('CARD_')) ? EXIT_CARD_REFUSED : EXIT_BAD_INPUT;
}

function describeRun(result: EncodingRun): string {
  const names = result.card.cardNames.length > 0 ? ` (${result.card.cardNames.join('; ')})` : '';
  let out = `card ${result.card.atr}${names} in ${result.card.reader}\n`;
  for (const app of result.applications) {
    out += `${app.name} [${app.kind}]: ${app.status}`;
    if (app.responseCodes !== undefined) out += ` — response codes ${app.responseCodes || '(none)'}`;
    out += '\n';
    for (const [name, value] of Object.entries(app.outputs)) out += `  ${name} = ${value}\n`;
    for (const step of app.steps ?? [])
      out += `  ${step.step}: ${step.status}${step.detail ? ` (${step.detail})` : ''}\n`;
    if (app.license)
      out += `  license: ${app.license.acceptable ? 'acceptable' : 'NOT acceptable'} (${app.license.startDate}–${app.license.endDate})\n`;
    for (const step of app.steps ?? [])
      out += `  ${step.step}: ${step.status}${step.detail ? ` (${step.detail})` : ''}\n`;
    if (app.license)
      out += `  license: ${app.license.acceptable ? 'acceptable' : 'NOT acceptable'} (${app.license.startDate}–${app.license.endDate})\n`;
    if (app.failure) out += `  ${app.failure.message} [${app.failure.code}]\n`;
  }
  return `${out}${result.status}\n`;
}
