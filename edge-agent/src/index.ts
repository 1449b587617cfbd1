// @cardfleet/edge-agent — the office agent (adapters, virtual cards, CLI).
export * from './readers/pcsclite-binding';
export * from './virtual-card/virtual-card';
export * from './virtual-card/vpcd-link';
