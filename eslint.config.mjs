// @ts-check
// ESLint 9 flat config: typescript-eslint (type-aware), the layer and cycle rules of eslint-plugin-import-x,
// and the workflow-sandbox import rules. Formatting is Prettier's job (`npm run format`), so eslint-config-prettier
// switches off every stylistic rule last.
import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

// ---------------------------------------------------------------------------------------------------------------
// The layers, bottom up. A zone forbids files under `target` to import anything under `from`: every zone below
// is "a lower folder never imports a higher one". Folders that do not exist yet simply match nothing.
// ---------------------------------------------------------------------------------------------------------------

/** The files that define workflows: only worker/ (which bundles workflows/index.ts by path) and test/ import them. */
const WORKFLOW_FILES = [
  'workflows/index.ts',
  'workflows/youth-case/workflow.ts',
  'workflows/cohort-import.ts',
  'workflows/mass-operations.ts',
  'workflows/sms-campaign.ts',
  'workflows/report-snapshot.ts',
];

const NOT_A_WORKFLOW_FILE = 'Workflow files are imported only by worker/ (the bundle) and test/; import workflows/contracts/ or the core instead.';

/** @param {string} target @param {string[]} from @param {string} message */
const zone = (target, from, message) => ({ target, from, message });

const layerZones = [
  zone(
    'schemas',
    ['workflows', 'domain', 'db', 'runtime', 'activities', 'client', 'worker', 'scripts', 'bench', 'test'],
    'schemas/ imports nothing of ours.',
  ),
  zone(
    'workflows',
    ['domain', 'db', 'runtime', 'activities', 'client', 'worker', 'scripts', 'bench', 'test'],
    'workflows/ may import schemas/ only.',
  ),
  zone(
    'domain',
    ['db', 'runtime', 'activities', 'client', 'worker', 'scripts', 'bench', 'test'],
    'domain/ may import schemas/ and workflows/ core and contracts.',
  ),
  zone('domain', WORKFLOW_FILES, NOT_A_WORKFLOW_FILE),
  zone(
    'db',
    ['runtime', 'activities', 'client', 'worker', 'scripts', 'bench', 'test'],
    'db/ may import schemas/, workflows/ core and contracts, domain/.',
  ),
  zone('db', WORKFLOW_FILES, NOT_A_WORKFLOW_FILE),
  zone(
    'runtime',
    ['activities', 'client', 'worker', 'scripts', 'bench', 'test'],
    'runtime/ may import schemas/, db/, domain/, workflows/contracts/.',
  ),
  {
    target: 'runtime',
    from: ['workflows'],
    except: ['contracts'],
    message: 'runtime/ may import workflows/contracts/ only.',
  },
  zone('activities', ['client', 'worker', 'scripts', 'bench', 'test'], 'activities/ never import client/, worker/, scripts/, bench/.'),
  zone('activities', WORKFLOW_FILES, NOT_A_WORKFLOW_FILE),
  zone('client', ['worker', 'scripts', 'bench', 'test'], 'client/ never imports worker/, scripts/, bench/.'),
  // The console runs in the browser: it may import the pure schemas/ and domain/ (types and rules), nothing that
  // touches a server, and reaches the rest only through the HTTP API.
  zone(
    'client/console',
    ['workflows', 'db', 'runtime', 'activities', 'client/api', 'client/cli', 'client/use-cases'],
    'client/console/ may import schemas/ and domain/ only; everything else through the HTTP API.',
  ),
  zone('client', WORKFLOW_FILES, NOT_A_WORKFLOW_FILE),
  zone('worker', ['scripts', 'bench', 'test'], 'worker/ never imports scripts/, bench/.'),
  zone('scripts', ['bench', 'test'], 'scripts/ never imports bench/.'),
  zone('scripts', WORKFLOW_FILES, NOT_A_WORKFLOW_FILE),
  zone('bench', ['test'], 'bench/ never imports test/.'),
  zone('bench', WORKFLOW_FILES, NOT_A_WORKFLOW_FILE),
];

/** The workflows/ core and contracts (every file there that is not a workflow file) never import a workflow file. */
const workflowCoreZones = [zone('workflows', WORKFLOW_FILES, NOT_A_WORKFLOW_FILE)];

/** @param {object[]} zones */
const restrictedPaths = (zones) => ['error', { basePath: root, zones }];

// ---------------------------------------------------------------------------------------------------------------
// Workflow code runs in Temporal's sandbox (webpack bundle, deterministic V8 isolate): no Node built-ins and only
// workflow-safe packages. Type-only imports are erased by tsc before bundling, so they are allowed.
// ---------------------------------------------------------------------------------------------------------------

const WORKFLOW_SAFE_PACKAGES = ['@temporalio/workflow', '@temporalio/common', 'xstate', 'luxon', 'zod'];
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const anyOf = (names) => names.map(escape).join('|');

const workflowImportRule = [
  'error',
  {
    patterns: [
      {
        regex: `^(node:.*|(${anyOf(nodeBuiltins)})(/.*)?)$`,
        allowTypeImports: true,
        message: 'Node built-ins are not available in the Temporal workflow sandbox.',
      },
      {
        // Any package that is not on the allow list (relative imports and Node built-ins are left to the rules above).
        regex: `^(?!\\.|node:|(${anyOf(nodeBuiltins)})(/|$)|(${anyOf(WORKFLOW_SAFE_PACKAGES)})(/|$))`,
        allowTypeImports: true,
        message: `Not workflow-safe: workflow code may import only ${WORKFLOW_SAFE_PACKAGES.join(', ')}, workflows/ and schemas/.`,
      },
    ],
  },
];

export default defineConfig(
  {
    ignores: ['dist/', 'data/', 'coverage/', 'node_modules/', 'test/replay/histories/', '.cache/', '.tmp-*'],
  },

  // Plain JavaScript (bin/, scripts/*.js, jest.config.js, this file): the recommended rules without type information.
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // TypeScript: recommended + type-checked rules, each file typed by the tsconfig.json that includes it
  // (client/console/ has its own, for the browser and JSX).
  {
    files: ['**/*.ts', 'client/console/**/*.tsx'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { 'import-x': importX },
    settings: {
      // What importX.flatConfigs.typescript sets, with the TypeScript resolver (tsconfig paths) as the only resolver:
      // without `extensions` the plugin does not read .ts dependencies and no-cycle sees no edges (it parses them
      // with this block's parser, typescript-eslint's).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.cjs', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: [path.join(root, 'tsconfig.json'), path.join(root, 'client/console/tsconfig.json')],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Rows from pg (QueryResult<any>), JSON.parse and fetch's json() are `any` and are checked by zod or the SQL
      // itself: the no-unsafe-* family reported ~290 such places and nothing else.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `async` without `await` is how a method here meets a Promise-returning interface (fakes, client factories).
      '@typescript-eslint/require-await': 'off',
      // Its findings were deliberate String() of unknown display values (table cells, protobuf Long seconds).
      '@typescript-eslint/no-base-to-string': 'off',
      // Passing on a caught error (`.catch((err) => Promise.reject(err))`) is fine.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'import-x/no-restricted-paths': restrictedPaths(layerZones),
    },
  },

  // The console: the browser's globals and the rules of React's hooks.
  {
    files: ['client/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },

  // Tests build deliberately malformed input with `any`, take methods off activity objects and mocks (as the worker
  // does), and load a module afresh over a changed table with require() inside jest.isolateModules.
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },

  // No cycles in production code (test/ may import anything). Type-only imports are ignored: they vanish at run time.
  {
    files: ['**/*.ts', 'client/console/**/*.tsx'],
    ignores: ['test/**'],
    rules: {
      // Full depth: the whole rule takes under a second on this tree (TIMING=1), so no maxDepth cut-off is needed.
      'import-x/no-cycle': ['error', { maxDepth: '∞', ignoreExternal: true }],
    },
  },

  // Workflow code, all of workflows/ (contracts included: clients import them, the sandbox bundles them).
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': workflowImportRule,
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: WORKFLOW_FILES,
    rules: {
      'import-x/no-restricted-paths': restrictedPaths([...layerZones, ...workflowCoreZones]),
    },
  },

  prettier,
);
