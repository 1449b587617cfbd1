export * from './errors/cardfleet-error';
