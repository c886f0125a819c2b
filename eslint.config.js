// Lint for every TypeScript file, run by `npm test` before Jest. The import rules say what
// test/architecture.spec.ts checks: libs are reached through #anpi/<lib>, never by file path.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'apps/console/src/api/schema.d.ts', 'node_modules/**', 'libs/db/src/generated/**', 'coverage/**', 'bench/tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Scripts run by Node as they are.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' } },
  },
  {
    // The product's code; tests may look inside a lib (white-box), the architecture test covers the rest.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['#anpi/*/*'], message: 'Import a lib through #anpi/<lib> (its index), never its files.' },
            { group: ['**/libs/*/src/**', '../../../*/src/**'], message: 'Reach another lib through #anpi/<lib>, not by file path.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and the benchmark read untyped JSON bodies and rows.
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
