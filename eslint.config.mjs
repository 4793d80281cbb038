import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', '.data/**', '.test-data/**', '.bench-floor/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'db/migrations/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { drizzle },
    rules: {
      // A delete or update without a where clause would touch every row.
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'getDb()'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'getDb()'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through lib/env.ts (getEnv()), not process.env.',
        },
      ],
    },
  },
  {
    // The places allowed to read process.env: the env module itself, process entry points and test/e2e harnesses.
    files: ['lib/env.ts', 'lib/log/**', 'instrumentation.ts', 'proxy.ts', 'next.config.js', 'lib/testing/**', 'e2e/**', 'bench/**', '**/*.test.ts', 'playwright.config.ts', 'vitest.config.mts', 'drizzle.config.ts', 'db/migrate.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
