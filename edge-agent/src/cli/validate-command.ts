import { validateBundle } from '@cardfleet/shared';
import { readBundleFromPath } from '@cardfleet/shared/node';
import { type CliIo, EXIT_BAD_INPUT, EXIT_OK, problemJson, problemLine } from './cli-io';

/** `validate <encoding-or-bundle> [--json]`: exit 0 when valid, 2 with one line per problem. */
export function validateCommand(path: string, json: boolean, io: CliIo): number {
  const { bundle, problems, warnings } = validateBundle(readBundleFromPath(path));
  if (json) {
    io.stdout(
      `${JSON.stringify(
        {
          valid: problems.length === 0,
          problems: problems.map(problemJson),
          warnings: warnings.map(problemJson),
          applications: bundle?.encoding.applications.map((a) => ({ name: a.name, kind: a.kind })) ?? [],
          secretFields: bundle?.secretFields ?? [],
        },
        null,
        2,
      )}\n`,
    );
  } else {
    for (const warning of warnings) io.stderr(problemLine(warning, 'warning'));
    for (const problem of problems) io.stdout(problemLine(problem));
    if (bundle) {
      const apps = bundle.encoding.applications.map((a) => `${a.name} (${a.kind})`).join(', ');
      io.stdout(`${bundle.encodingFile.name}: valid — ${apps}\n`);
    }
  }
  return problems.length === 0 ? EXIT_OK : EXIT_BAD_INPUT;
}
