import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * One lint for the whole workspace: type-aware TypeScript rules (docs/architecture.md "Lint") and module boundaries
 * as errors. The tags live in each project.json; the constraints below are the architecture.
 */
export default tseslint.config(
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', '**/tmp', '**/test-results', 'libs/contracts/src/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // One job per file (docs/architecture.md "Lint"): a file that outgrows this is split by responsibility.
      'max-lines': ['error', { max: 400 }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // Scopes: the browser reaches only shared code; the server never imports the browser's.
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Layers: apps compose libs; no lib imports an app; utils depend on utils only.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
            // Features: the executor knows nothing of HTTP, governance or the agent; the agent sits on top.
            {
              sourceTag: 'lib:sandbox-executor',
              notDependOnLibsWithTags: ['lib:governance', 'lib:agent', 'lib:auth', 'lib:providers', 'lib:memory'],
              bannedExternalImports: ['express', '@nestjs/platform-express', 'socket.io', '@nestjs/websockets', '@nestjs/swagger'],
            },
            // The one door (docs/governance.md): only `executor:host` projects (governance, and a future worker app) import
            // the executor (`executor:self`). Every project carries exactly one executor:* tag, so none slips through
            // untagged: libs/sandbox-executor/src/lib/executor-boundary.spec.ts checks it. An allowlist of direct imports,
            // since notDependOnLibsWithTags would also refuse reaching the executor through governance.
            { sourceTag: 'executor:none', onlyDependOnLibsWithTags: ['executor:none', 'executor:host'] },
            { sourceTag: 'lib:governance', notDependOnLibsWithTags: ['lib:agent', 'lib:providers', 'lib:memory'] },
            {
              sourceTag: 'lib:providers',
              notDependOnLibsWithTags: ['lib:agent', 'lib:governance', 'lib:sandbox-executor', 'lib:auth', 'lib:memory'],
            },
            { sourceTag: 'lib:memory', notDependOnLibsWithTags: ['lib:agent', 'lib:governance', 'lib:sandbox-executor'] },
            // auth writes security events into governance's audit chain, and governance wraps the executor, so auth
            // reaches the executor transitively; what it may import itself is listed (and excludes the executor).
            {
              sourceTag: 'lib:auth',
              onlyDependOnLibsWithTags: ['lib:contracts', 'lib:config', 'lib:database', 'lib:governance', 'lib:testing'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.tsx', 'apps/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs', '**/jest.preset.js', '**/webpack.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Data access has one home (docs/architecture.md "Data access"): TypeORM only in *.repository.ts, the entities and
    // migrations of libs/database, and test set-up; services, controllers and gateways call repositories.
    files: ['apps/api/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: [
      '**/*.repository.ts',
      'libs/database/**',
      'libs/testing/**',
      '**/testing/**',
      '**/*.fixture.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.redteam-spec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typeorm', message: 'Queries live in a *.repository.ts class (docs/architecture.md "Data access").' },
            { name: '@nestjs/typeorm', message: 'Queries live in a *.repository.ts class (docs/architecture.md "Data access").' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'apps/*/scripts/**', '**/*.spec.ts', '**/*.integration-spec.ts', '**/*.redteam-spec.ts', 'apps/web-e2e/**'],
    rules: { 'no-console': 'off' },
  },
);
