import type { OptionSpec, ProgramSpec } from '@cardfleet/shared/node';
import { BATCH_COMMANDS } from './batch-commands';
import { RELEASE_COMMANDS } from './release-commands';

/** The commands of `cardfleet`, declared once: help, option checks and dispatch use them. */
const str = (value: string, help: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  type: 'string',
  value,
  help,
  ...extra,
});
const flag = (help: string): OptionSpec => ({ type: 'boolean', help, default: false });
const WAIT = {
  wait: flag('follow the job and its progress to its end (exit 1 unless it SUCCEEDED)'),
  timeout: str('S', 'seconds --wait waits', { number: 'positive', default: '300' }),
};
const PAGE = {
  limit: str('N', 'at most N items', { number: 'positive-integer' }),
  cursor: str('CURSOR', 'the next page (the nextCursor of the previous --json answer)'),
};

export const CLOUD_PROGRAM: ProgramSpec = {
  name: 'cardfleet',
  version: '0.0.0',
  summary:
    'The admin CLI of the cardfleet API. Connection: a profile stored by `cardfleet login`, or\nCARDFLEET_API_URL and CARDFLEET_TOKEN (these override the profile).',
  globalOptions: {
    json: flag('machine-readable output (errors: one JSON object on stderr)'),
    profile: str('NAME', 'the login profile to use (env: CARDFLEET_PROFILE; default "default")'),
  },
  footer:
    'exit codes: 0 ok, 1 the card or job failed, 2 usage or bad input, 3 the API unreachable or refused',
  commands: [
    {
      path: 'login',
      summary: 'store a profile (API URL and token) in ~/.config/cardfleet/profiles.json (0600)',
      details: 'Without --token the token is taken from CARDFLEET_TOKEN (keeps it out of shell history).',
      options: {
        url: str('URL', 'the API, e.g. http://127.0.0.1:8787', { required: true }),
        token: str('TOKEN', 'a bearer token (default: $CARDFLEET_TOKEN)'),
      },
    },
    { path: 'logout', summary: 'forget a stored profile (--profile, else the selected one)' },
    { path: 'profiles list', summary: 'the stored profiles (URLs, never tokens)' },
    {
      path: 'encodings push',
      args: '<bundle>',
      minArgs: 1,
      summary: 'upload an encoding bundle (dir, .zip or .ini)',
      options: { id: str('ID', 'the encoding id (default: the bundle name)') },
    },
    { path: 'encodings list', summary: 'encodings and their latest versions' },
    {
      path: 'encodings show',
      args: '<id> [version]',
      minArgs: 1,
      maxArgs: 2,
      summary: 'an encoding version as the API shows it (secrets redacted; default latest)',
    },
    {
      path: 'encodings diff',
      args: '<id> <from> <to>',
      minArgs: 3,
      summary: 'unified diff of two versions, by the API from the redacted views',
    },
    ...RELEASE_COMMANDS,
    {
      path: 'agents add',
      args: '<id>',
      minArgs: 1,
      summary: 'prints the one-time enrolment code',
      options: { office: str('OFFICE', 'the branch office', { required: true }) },
    },
    { path: 'agents list', summary: 'agents with presence, readers and last seen' },
    {
      path: 'agents revoke',
      args: '<id>',
      minArgs: 1,
      summary: 'revoke an agent: its open jobs end, it is disconnected (admin)',
    },
    {
      path: 'jobs run',
      summary: 'create a job on an agent',
      options: {
        agent: str('ID', 'the agent', { required: true }),
        encoding: str('ID', 'the encoding', { required: true }),
        'encoding-version': str('N', 'the encoding version (default latest)', {
          number: 'positive-integer',
        }),
        fields: str('FILE', 'a JSON object of field name → string value'),
        reader: str('NAME', 'the reader on the agent'),
        ...WAIT,
      },
    },
    {
      path: 'jobs list',
      summary: 'jobs, newest first, with the API filters',
      options: {
        office: str('OFFICE', 'only this office'),
        agent: str('ID', 'only this agent'),
        state: str('STATE', 'only this state (QUEUED, SENT, IN_PROGRESS, SUCCEEDED, FAILED, ...)'),
        card: str('SERIAL', 'only jobs that wrote this card'),
        ...PAGE,
      },
    },
    {
      path: 'jobs show',
      args: '<id>',
      minArgs: 1,
      summary: 'a job, its history and a failure reason',
      options: {
        follow: flag('follow the job and its progress to its end (exit 1 unless it SUCCEEDED)'),
        timeout: WAIT.timeout,
      },
    },
    {
      path: 'jobs retry',
      args: '<id>',
      minArgs: 1,
      summary: 'run a finished, unsuccessful job again (a new attempt)',
      options: WAIT,
    },
    {
      path: 'jobs cancel',
      args: '<id>',
      minArgs: 1,
      summary: 'cancel; a job the agent holds is cancelled if it has not touched the card',
    },
    ...BATCH_COMMANDS,
    {
      path: 'audit list',
      summary: 'audit entries with the API filters',
      options: {
        office: str('OFFICE', 'only this office'),
        agent: str('ID', 'only this agent'),
        card: str('SERIAL', 'only this card'),
        from: str('TIME', 'from this ISO time'),
        to: str('TIME', 'up to this ISO time'),
        ...PAGE,
      },
    },
    {
      path: 'audit export',
      summary: 'the whole audit trail',
      options: { format: str('FORMAT', 'output format', { choices: ['csv', 'json'], default: 'json' }) },
    },
    {
      path: 'audit verify',
      summary: 'verify from the last checkpoint this auditor verified',
      options: {
        state: str('FILE', 'where the last verified checkpoint is kept'),
        witness: str('DIR', 'a witness directory of checkpoints'),
        key: str('FILE', 'the cloud keys (jwks.json) instead of asking the API'),
        full: flag('verify the whole log'),
      },
    },
    {
      path: 'audit prove',
      summary: "the card's entries with inclusion proofs",
      options: { card: str('SERIAL', 'the card', { required: true }) },
    },
    {
      path: 'audit verify-proof',
      args: '<file>',
      minArgs: 1,
      summary: 'check such proofs offline',
      options: {
        key: str('FILE', 'the cloud keys (jwks.json)', { required: true }),
        state: str('FILE', 'the last checkpoint this auditor verified (a proof older than it is stale)'),
      },
    },
    { path: 'audit checkpoint', summary: 'sign a checkpoint now (admin)' },
    {
      path: 'audit repair',
      summary: 'quarantine damage (admin)',
      options: {
        shard: str('N|LOG', 'the damaged shard', { required: true }),
        reason: str('TEXT', 'why (kept in the log)', { required: true }),
        from: str('N', 'first sequence number', { number: 'positive-integer' }),
        to: str('N', 'last sequence number', { number: 'positive-integer' }),
      },
    },
  ],
};
