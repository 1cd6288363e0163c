/** Type checking happens once, in `npm test`'s build step (tsc over everything); ts-jest only transpiles, which keeps jest fast. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/{apps,libs,projections,test}/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  moduleNameMapper: {
    '^@helpdesk/(domain|event-store|application|http|read-store|mail|messaging|infrastructure)$': '<rootDir>/libs/$1/src',
    '^@helpdesk/projections$': '<rootDir>/projections',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist'],
  testTimeout: 30000,
};
