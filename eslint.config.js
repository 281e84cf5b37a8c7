// Lint rules, including the dependency arrows of docs/design (DESIGN.md "Layout").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((group) => ({
        group: [group],
        message: 'breaks the layering in DESIGN.md',
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
  // errors.ts is a leaf.
  { files: ['src/errors.ts'], rules: restrict(['./*', '../*']) },
  // stix/ and sharing/ are pure: no HTTP, storage, config, auth or process wiring.
  {
    files: ['src/stix/**'],
    rules: restrict([
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
  // taxii/ knows the store interface, stix, sharing and auth types; never express or a backend.
  {
    files: ['src/taxii/**'],
    rules: restrict([
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
      '**/store/sqlite/**',
      '**/store/mongo/**',
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
    rules: restrict([
      '**/http/**',
      '**/taxii/**',
      '**/cli/**',
      '**/store/sqlite/**',
      '**/store/mongo/**',
      'express',
    ]),
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
    rules: restrict(['./sqlite/*', './mongo/*', '**/http/**', '**/taxii/**', 'express']),
  },
);
