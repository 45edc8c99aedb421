/**
 * `configure --remove` (install.sh --uninstall calls it), the planner's part: the credHelpers
 * entries that name this helper leave the docker config, and nothing else changes, byte for byte.
 * A credsStore of ours is undone with its logins (remove.ts through unstore.ts; plan-unstore.test.ts).
 */
import { planConfigure } from '../../../src/commands/plan-configure';
import { ECR_HOST as PRIVATE } from '../../support/registry-host';

const FILE = '/home/u/.docker/config.json';
const OTHER = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';

function remove(text: string, options: { registries?: string[]; store?: boolean } = {}) {
  return planConfigure(
    text,
    { registries: options.registries ?? [], store: options.store ?? false, remove: true },
    FILE,
  );
}

/** A config as docker and configure leave it: tabs, other keys, our entries and another's. */
const CONFIG = [
  '{',
  '\t"auths": {',
  '\t\t"ghcr.io": {}',
  '\t},',
  '\t"credsStore": "ecr-ts",',
  '\t"credHelpers": {',
  `\t\t"${PRIVATE}": "ecr-ts",`,
  `\t\t"${OTHER}": "ecr-login"`,
  '\t},',
  '\t"psFormat": "table {{.ID}}",',
  '\t"big": 12345678901234567890',
  '}',
  '',
].join('\n');

describe('configure --remove, planned', () => {
  it('removes our credHelpers entries, and nothing else (credsStore is the unstore part)', () => {
    const plan = remove(CONFIG);
    expect(plan.changes).toEqual([
      { key: `credHelpers["${PRIVATE}"]`, before: 'ecr-ts', after: undefined },
    ]);
    expect(plan.text).toBe(
      [
        '{',
        '\t"auths": {',
        '\t\t"ghcr.io": {}',
        '\t},',
        '\t"credsStore": "ecr-ts",',
        '\t"credHelpers": {',
        `\t\t"${OTHER}": "ecr-login"`,
        '\t},',
        '\t"psFormat": "table {{.ID}}",',
        '\t"big": 12345678901234567890',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('drops a credHelpers object that held only our entries', () => {
    const text = `{"credHelpers": {"${PRIVATE}": "ecr-ts", "public.ecr.aws": "ecr-ts"}, "x": 1}`;
    expect(JSON.parse(remove(text).text ?? '')).toEqual({ x: 1 });
  });

  it('with registries: only those entries; with --store alone, no credHelpers entry', () => {
    const only = remove(CONFIG, { registries: [PRIVATE] });
    expect(only.changes.map((change) => change.key)).toEqual([`credHelpers["${PRIVATE}"]`]);
    expect(JSON.parse(only.text ?? '')).toMatchObject({ credsStore: 'ecr-ts' });
    expect(remove(CONFIG, { store: true }).text).toBeNull();
  });

  it("never touches another helper's entry, even when named", () => {
    expect(remove(CONFIG, { registries: [OTHER] })).toEqual({
      changes: [],
      unchanged: [],
      text: null,
    });
  });

  it('changes nothing in a config that does not name us (or an empty one)', () => {
    for (const text of ['', '{}', '{"credsStore": "desktop", "credHelpers": null}']) {
      expect(remove(text).text).toBeNull();
    }
  });

  it('refuses a file docker cannot read, like configure', () => {
    expect(() => remove('{"credsStore": "ecr-ts",')).toThrow(/is not valid JSON/);
  });
});
