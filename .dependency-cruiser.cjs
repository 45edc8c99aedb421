// The floors of src/ (docs/architecture.md#floors), checked by `npm run lint`: an import points to
// its own floor or a lower one, sibling folders on one floor do not import each other, and no
// files import each other in a cycle. Type-only and lazy imports count: they are dependencies too.

/** The floors, top to bottom: each a folder, or sibling folders that may not import each other. */
const FLOORS = [
  { top: '^src/(main|index|cli|compose)\\.ts$' },
  { commands: '^src/commands/' },
  { actions: '^src/actions/' },
  { config: '^src/config/' },
  { routing: '^src/routing/' },
  { stores: '^src/stores/', cache: '^src/cache/' },
  { aws: '^src/aws/' },
  { fs: '^src/fs/' },
  { protocol: '^src/protocol/', registry: '^src/registry/' },
  { ground: '^src/[^/]+$' }, // every other src/*.ts
];
const TOP = FLOORS[0].top;
/** Inside the top floor: main -> cli -> compose, index -> compose; main may also use compose. */
const TOP_MAY_IMPORT = {
  main: ['cli', 'compose'],
  cli: ['compose'],
  index: ['compose'],
  compose: [],
};

const WHY = {
  'upward-import': 'an import of a higher floor (the floors: docs/architecture.md#floors)',
  'sibling-import':
    'an import between sibling folders of one floor (the floors: docs/architecture.md#floors)',
  'top-floor-order':
    'inside the top floor only main -> cli -> compose, main -> compose and index -> compose',
  'no-cycle': 'files that import each other, directly or through others',
  'not-on-a-floor': 'a file on no floor: add its folder to FLOORS in .dependency-cruiser.cjs',
};
const rule = (name, from, to) => ({ name, comment: WHY[name], severity: 'error', from, to });
const entries = (floor) => Object.entries(floor);
const pathsOf = (floors) => floors.flatMap(Object.values);
// The ground floor's pattern also matches the top floor's files.
const filesOf = (path) => (path === FLOORS.at(-1).ground ? { path, pathNot: TOP } : { path });

const upward = FLOORS.slice(1).flatMap((floor, above) =>
  entries(floor).map(([, path]) =>
    rule('upward-import', filesOf(path), { path: pathsOf(FLOORS.slice(0, above + 1)) }),
  ),
);
const siblings = FLOORS.flatMap((floor) =>
  entries(floor).flatMap(([name, path]) =>
    entries(floor)
      .filter(([other]) => other !== name)
      .map(([, otherPath]) => rule('sibling-import', { path }, { path: otherPath })),
  ),
);
const topOrder = entries(TOP_MAY_IMPORT).map(([name, allowed]) =>
  rule(
    'top-floor-order',
    { path: `^src/${name}\\.ts$` },
    { path: TOP, pathNot: allowed.map((other) => `^src/${other}\\.ts$`) },
  ),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    ...siblings,
    ...topOrder,
    rule('no-cycle', { path: '^src/' }, { circular: true }),
    rule('not-on-a-floor', { path: '^src/', pathNot: pathsOf(FLOORS) }, {}),
    rule('not-on-a-floor', {}, { path: '^src/', pathNot: pathsOf(FLOORS) }),
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
