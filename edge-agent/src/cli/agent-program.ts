import type { OptionSpec, ProgramSpec } from '@cardfleet/shared/node';

/** The commands of `cardfleet-agent`, declared once: help, option checks and dispatch use them. */
const str = (value: string, help: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  type: 'string',
  value,
  help,
  ...extra,
});
const CARD = str('p.json', 'an in-process virtual card profile instead of pcscd (reader "Virtual Reader 0")');
const CONFIG = str('agent.json', 'the agent configuration (PKCS#11 modules, license directory)');
const STATE = str('DIR', 'the agent state directory');
const MODULE = str('PATH', 'a PKCS#11 module (default: the ones agent.json maps)');
const FIELDS = str('f.json', 'a JSON object of field name → string value');

export const AGENT_PROGRAM: ProgramSpec = {
  name: 'cardfleet-agent',
  version: '0.0.0',
  summary: 'The edge agent: checks and runs encodings on local card readers, and runs the daemon.',
  globalOptions: {
    json: {
      type: 'boolean',
      help: 'machine-readable output (errors: one JSON object on stderr)',
      default: false,
    },
  },
  footer: `--config agent.json maps encoding DLL names to local PKCS#11 modules ("pkcs11Modules")
and sets where generated licenses wait ("licenseDirectory"); run needs it for PKCS#11
and License applications.

exit codes: 0 ok, 1 the card refused or failed, 2 usage or bad input, 3 a service (API, agent console) unreachable or refused`,
  commands: [
    {
      path: 'validate',
      args: '<encoding-or-bundle>',
      minArgs: 1,
      summary: 'check an encoding (.ini), a bundle directory or .zip',
    },
    {
      path: 'compile',
      args: '<script.apdu>',
      minArgs: 1,
      summary: 'print the C-APDUs a script sends',
      options: { fields: FIELDS, secret: str('A,B', 'fields to show as ** (comma-separated)') },
    },
    { path: 'atr', args: '<hex>', minArgs: 1, summary: 'parse an ATR and name the card' },
    { path: 'readers', summary: 'list readers, cards, ATRs and card names', options: { card: CARD } },
    {
      path: 'run',
      args: '<encoding-or-bundle>',
      minArgs: 1,
      summary: 'run an encoding on the card in a reader',
      options: {
        reader: str('NAME', 'the reader (see: cardfleet-agent readers); required without --card'),
        fields: FIELDS,
        card: CARD,
        config: CONFIG,
      },
    },
    {
      path: 'virtual-card',
      summary: 'attach a virtual card to vpcd until stopped',
      options: {
        profile: str('p.json', 'the card profile', { required: true }),
        vpcd: str('HOST:PORT', 'where vpcd listens'),
      },
    },
    {
      path: 'enrol',
      summary: 'generate the agent key, register it, pin the cloud keys',
      details: 'state: --state, else $CARDFLEET_AGENT_STATE, else /var/lib/cardfleet-agent',
      options: {
        api: str('URL', 'the cardfleet API', { required: true }),
        code: str('CODE', 'the one-time enrolment code (cardfleet agents add)', { required: true }),
        state: STATE,
        id: str('AGENT_ID', 'the agent id (when the code does not name it)'),
      },
    },
    {
      path: 'start',
      summary: 'run the agent daemon (jobs over MQTT) and its operator console (PIN entry, loopback only)',
      options: { config: { ...CONFIG, required: true } },
    },
    {
      path: 'keys update',
      summary: "take the cloud's signed key-set update (only when signed by a key already pinned)",
      options: { config: CONFIG, state: STATE },
    },
    {
      path: 'prompt',
      summary: "answer the running daemon's PIN requests here",
      options: {
        config: CONFIG,
        state: STATE,
        once: { type: 'boolean', help: 'answer one request, then exit', default: false },
      },
    },
    {
      path: 'tokens',
      summary: 'PKCS#11 module info, slots and tokens',
      options: { module: MODULE, config: CONFIG },
    },
    {
      path: 'license status',
      summary: "the card's license status (--reader NAME or --slot ID)",
      options: {
        reader: str('NAME', 'the reader holding the card'),
        slot: str('ID', 'the PKCS#11 slot'),
        module: MODULE,
        config: CONFIG,
      },
    },
  ],
};
