// ESM mode: @actions/core 3.x ships only ES modules, so tests run under
// --experimental-vm-modules and mock it with jest.unstable_mockModule.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true } }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['<rootDir>/__tests__/setup/promise-with-resolvers.js'],
  // The slow files (the end-to-end and fault suites) mostly wait on timers in the
  // processes they spawn, not on CPU: four at once on a 2-core machine, where
  // Jest's default (cores - 1) would run them one after another.
  maxWorkers: 4,
  clearMocks: true
}
