import type { Config } from 'jest';

// Two projects: `unit` holds the pure suites (fast, no cluster); `integration` runs against the real local
// control plane that packages/testenv starts in its global setup.
const swc: Config['transform'] = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2024' }, module: { type: 'es6' } }],
};

const config: Config = {
  // Integration suites wait on a real cluster; each wait has its own deadline, this is only the outer bound.
  testTimeout: 120_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      transform: swc,
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      transform: swc,
      testMatch: ['<rootDir>/packages/*/test/**/*.itest.ts'],
      globalSetup: '<rootDir>/packages/testenv/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/packages/testenv/src/jest-global-teardown.ts',
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      transform: swc,
      testMatch: ['<rootDir>/packages/*/test/e2e/**/*.e2e.ts'],
      globalSetup: '<rootDir>/packages/testenv/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/packages/testenv/src/jest-global-teardown.ts',
    },
  ],
};

export default config;
