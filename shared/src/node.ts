// Node file-system adapters of the shared package (kept out of the pure index).

export * from './cli/cli-failure';
export * from './cli/command-line';
export * from './cli/fields-file';
export * from './node/bundle-from-path';
export * from './node/durable-file';
export * from './node/pino-logger';
export * from './node/smartcard-list-file';
