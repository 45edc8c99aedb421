/**
 * `configure --remove` (install.sh --uninstall calls it): the entries that name this helper leave
 * the docker config, and nothing else changes, byte for byte.
 */
import { planConfigure } from '../../../src/commands/plan-configure';
import { ECR_HOST as PRIVATE } from '../../support/registry-host';

const FILE = '/home/u/.docker/config.json';
const OTHER = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';

function remove(
  text: string,
  options: { registries?: string[]; store?: boolean; restoreStore?: string } = {},
) {
  return planConfigure(
    text,
    {
      registries: options.registries ?? [],
      store: options.store ?? false,
      remove: true,
      restoreStore: options.restoreStore,
    },
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
  it('removes our credsStore and credHelpers entries, and nothing else', () => {
    const plan = remove(CONFIG);
    expect(plan.changes).toEqual([
      { key: 'credsStore', before: 'ecr-ts', after: undefined },
      { key: `credHelpers["${PRIVATE}"]`, before: 'ecr-ts', after: undefined },
    ]);
    expect(plan.text).toBe(
      [
        '{',
        '\t"auths": {',
        '\t\t"ghcr.io": {}',
        '\t},',
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

  it('puts the fallback helper back as credsStore: it holds the logins saved through us', () => {
    const plan = remove(CONFIG, { restoreStore: 'desktop' });
    expect(plan.changes[0]).toEqual({ key: 'credsStore', before: 'ecr-ts', after: 'desktop' });
    expect(JSON.parse(plan.text ?? '')).toMatchObject({ credsStore: 'desktop' });
  });

  it('drops a credHelpers object that held only our entries', () => {
    const text = `{"credHelpers": {"${PRIVATE}": "ecr-ts", "public.ecr.aws": "ecr-ts"}, "x": 1}`;
    expect(JSON.parse(remove(text).text ?? '')).toEqual({ x: 1 });
  });

  it('with registries: only those entries; credsStore stays unless --store is given too', () => {
    const only = remove(CONFIG, { registries: [PRIVATE] });
    expect(only.changes.map((change) => change.key)).toEqual([`credHelpers["${PRIVATE}"]`]);
    expect(JSON.parse(only.text ?? '')).toMatchObject({ credsStore: 'ecr-ts' });
    const store = remove(CONFIG, { store: true });
    expect(store.changes.map((change) => change.key)).toEqual(['credsStore']);
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
