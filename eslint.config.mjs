import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The AWS SDK boundary (docs/executable.md): only src/aws/sdk/ imports the SDK, and only the one
// loader, src/aws/load-sdk.ts, imports src/aws/sdk/, lazily, so a cache hit never loads the SDK.
const SDK_PACKAGES = {
  group: ['@aws-sdk/*', '@smithy/*'],
  message:
    'Only src/aws/sdk/ may import the AWS SDK: add an operation to AwsSdk (src/aws/aws-sdk.ts).',
};
const SDK_FOLDER = {
  regex: '(^|/)aws/sdk(/|$)|^\\.{1,2}/sdk(/|$)',
  message: 'src/aws/sdk/ is loaded only through loadSdk() (src/aws/load-sdk.ts): take a LoadSdk.',
};
// no-restricted-imports sees static imports only: import() and require() are checked here.
const dynamic = ({ regex, group, message }) => {
  const source = regex ?? `^(${group.map((g) => g.replace('/*', '/')).join('|')})`;
  const literal = `/${source.replaceAll('/', '\\/')}/`;
  return [
    { selector: `ImportExpression[source.value=${literal}]`, message },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=${literal}]`, message },
  ];
};
// (A rule given as just 'error' would keep the options of an earlier block: none means 'off'.)
const restrict = (...patterns) =>
  patterns.length === 0
    ? { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off' }
    : {
        '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
        'no-restricted-syntax': ['error', ...patterns.flatMap(dynamic)],
      };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      // stdout belongs to the protocol: only the composition root may write there.
      'no-console': 'error',
      ...restrict(SDK_PACKAGES, SDK_FOLDER),
    },
  },
  // node:crypto under Bun also loads the stream modules: measured as the largest cost of a cache
  // hit above the bare start. src/cache/sha256.ts hashes; globalThis.crypto gives random bytes.
  {
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:crypto',
              message:
                'Costly under Bun on the hot path: use src/cache/sha256.ts or globalThis.crypto (or process.getBuiltinModule off the hot path).',
            },
          ],
        },
      ],
    },
  },
  // Inside the boundary: the SDK itself, and sibling files of the sdk folder.
  { files: ['src/aws/sdk/**'], rules: restrict() },
  // The loader, the one way in (it requires ./sdk; the require is checked below).
  { files: ['src/aws/load-sdk.ts'], rules: restrict(SDK_PACKAGES) },
  {
    files: ['**/*.cjs', '**/*.mjs', 'bin/*'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['test/**', 'bench/**', 'scripts/**'], rules: { 'no-console': 'off' } },
);
