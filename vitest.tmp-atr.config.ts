import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['shared/src/atr/*.test.ts', 'shared/src/apdu-script/*.test.ts'], testTimeout: 60_000 } });
