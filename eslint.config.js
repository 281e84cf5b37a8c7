// Lint rules, including the dependency arrows between folders (docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A pattern is one glob or a list of globs where `!glob` re-allows (gitignore syntax).
const restrict = (patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((group) => ({
        group: Array.isArray(group) ? group : [group],
        message: 'breaks the layering in docs/architecture.md',
      })),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'stix-schemas/**',
      '.tmp/**',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js', '.ci/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // errors.ts and domain.ts are leaves.
  { files: ['src/errors.ts', 'src/domain.ts'], rules: restrict(['./*', '../*']) },
  // stix/ and sharing/ are pure: no HTTP, storage, config, auth or process wiring.
  {
    files: ['src/stix/**'],
    rules: restrict([
      '**/partner/**',
      '**/http/**',
      '**/taxii/**',
      '**/store/**',
      '**/sharing/**',
      '**/auth/**',
      '**/config/**',
      '**/cli/**',
      'express',
      'mongodb',
      'better-sqlite3',
      'pino',
    ]),
  },
  {
    files: ['src/sharing/**'],
    rules: restrict([
      '**/partner/**',
      '**/http/**',
      '**/taxii/**',
      '**/store/**',
      '**/auth/**',
      '**/config/**',
      '**/cli/**',
      'express',
      'mongodb',
      'better-sqlite3',
      'pino',
      'node:fs',
      'fs',
      'node:net',
    ]),
  },
  // taxii/ knows the store interface, stix, sharing and auth types; never express, a backend or
  // the partner runtime (which plugs in through read-view.ts).
  {
    files: ['src/taxii/**'],
    rules: restrict([
      '**/partner/**',
      '**/http/**',
      '**/cli/**',
      '**/store/sqlite/**',
      '**/store/mongo/**',
      'express',
      'mongodb',
      'better-sqlite3',
    ]),
  },
  // auth/ and config/ speak the domain types (domain.ts), never the store.
  // partner/ serves partners: the store interface, sharing/, stix/ and auth types; of taxii/ only
  // the seam it implements (read-view.ts). Never HTTP, the CLI, a backend or a driver.
  {
    files: ['src/partner/**'],
    rules: restrict([
      ['**/taxii/**', '!**/taxii/read-view.js'],
      '**/http/**',
      '**/cli/**',
      '**/store/sqlite/**',
      '**/store/mongo/**',
      'express',
      'mongodb',
      'better-sqlite3',
    ]),
  },
  {
    files: ['src/auth/**'],
    rules: restrict([
      '**/http/**',
      '**/taxii/**',
      '**/cli/**',
      '**/store/**',
      'express',
      'mongodb',
      'better-sqlite3',
    ]),
  },
  {
    files: ['src/http/**'],
    rules: restrict([
      '**/cli/**',
      '**/store/sqlite/**',
      '**/store/mongo/**',
      'mongodb',
      'better-sqlite3',
    ]),
  },
  {
    files: ['src/config/**'],
    rules: restrict(['**/http/**', '**/taxii/**', '**/cli/**', '**/store/**', 'express']),
  },
  // Backends see only the store's own types; only store/open-store.ts imports a backend.
  {
    files: ['src/store/sqlite/**'],
    rules: restrict([
      '**/http/**',
      '**/taxii/**',
      '**/sharing/**',
      '**/auth/**',
      '**/cli/**',
      '**/mongo/**',
      'express',
      'mongodb',
    ]),
  },
  {
    files: ['src/store/mongo/**'],
    rules: restrict([
      '**/http/**',
      '**/taxii/**',
      '**/sharing/**',
      '**/auth/**',
      '**/cli/**',
      '**/sqlite/**',
      'express',
      'better-sqlite3',
    ]),
  },
  {
    files: ['src/store/*.ts'],
    ignores: ['src/store/open-store.ts'],
    rules: restrict([
      './sqlite/*',
      './mongo/*',
      '**/http/**',
      '**/taxii/**',
      '**/partner/**',
      'express',
    ]),
  },
);
