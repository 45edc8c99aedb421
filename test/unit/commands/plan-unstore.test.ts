import {
  authsEntry,
  authsHold,
  chooseDestination,
  loginsToMove,
  othersInFallback,
  planUnstoreEdit,
} from '../../../src/commands/plan-unstore';
import type { StoreRecord } from '../../../src/commands/store-record';

const record = (previousCredsStore: string | null, fallback = 'file'): StoreRecord => ({
  previousCredsStore,
  fallback,
  moved: [{ serverUrl: 'ghcr.io', keys: ['ghcr.io'], username: 'a' }],
});

describe('chooseDestination()', () => {
  it.each([
    [record(null), 'file', { kind: 'auths' }],
    [record('pass', 'pass'), 'pass', { kind: 'helper', name: 'pass' }],
    [record(null, 'pass'), 'pass', { kind: 'auths' }],
    [null, 'file', { kind: 'auths' }],
    [null, 'none', { kind: 'auths' }],
    [null, 'pass', { kind: 'helper', name: 'pass' }],
  ] as const)('record %j, fallback %s -> %j', (given, fallback, destination) => {
    expect(chooseDestination(given, fallback)).toEqual(destination);
  });

  it('keeps a helper fallback that holds other logins (or cannot say) as the credsStore', () => {
    const keeper = { kind: 'helper', name: 'pass' };
    expect(chooseDestination(record(null, 'pass'), 'pass', ['quay.io'])).toEqual(keeper);
    expect(chooseDestination(record(null, 'pass'), 'pass', 'unknown')).toEqual(keeper);
    expect(chooseDestination(record('desktop', 'pass'), 'pass', ['quay.io'])).toEqual(keeper);
    // Only the migrated logins: they go back where the record says.
    expect(chooseDestination(record(null, 'pass'), 'pass', [])).toEqual({ kind: 'auths' });
    // The file store's logins all move anyway; none is a store docker reads.
    expect(chooseDestination(record(null), 'file', ['quay.io'])).toEqual({ kind: 'auths' });
    expect(chooseDestination(null, 'none', 'unknown')).toEqual({ kind: 'auths' });
  });
});

describe('othersInFallback()', () => {
  it('lists what the record did not move, under any spelling of its server', () => {
    const listed = { 'https://ghcr.io/': 'a', 'quay.io': 'q' };
    expect(othersInFallback(listed, record(null, 'pass'))).toEqual(['quay.io']);
    expect(othersInFallback(listed, null)).toEqual(['https://ghcr.io/', 'quay.io']);
    expect(othersInFallback(null, record(null, 'pass'))).toBe('unknown');
  });
});

describe('loginsToMove()', () => {
  const list = { 'ghcr.io': 'a', 'later.io': 'b' };
  it('moves nothing when the logins already are where docker will look', () => {
    const destination = { kind: 'helper', name: 'pass' } as const;
    expect(
      loginsToMove({
        destination,
        fallback: 'pass',
        record: record('pass', 'pass'),
        fileStoreList: null,
      }),
    ).toEqual([]);
    expect(
      loginsToMove({
        destination: { kind: 'auths' },
        fallback: 'none',
        record: null,
        fileStoreList: null,
      }),
    ).toEqual([]);
  });

  it('moves every login of the file store, and only the recorded ones of another helper', () => {
    expect(
      loginsToMove({
        destination: { kind: 'auths' },
        fallback: 'file',
        record: null,
        fileStoreList: list,
      }),
    ).toEqual([
      { serverUrl: 'ghcr.io', username: 'a' },
      { serverUrl: 'later.io', username: 'b' },
    ]);
    expect(
      loginsToMove({
        destination: { kind: 'auths' },
        fallback: 'pass',
        record: record(null, 'pass'),
        fileStoreList: null,
      }),
    ).toEqual([{ serverUrl: 'ghcr.io', username: 'a' }]);
  });
});

describe('planUnstoreEdit()', () => {
  const login = { serverUrl: 'ghcr.io', username: 'a', secret: 's' };

  it('removes credsStore and writes the login into auths, keeping every other byte', () => {
    const text =
      '{\n\t"auths": {\n\t\t"ghcr.io": {}\n\t},\n\t"credsStore": "ecr-ts",\n\t"n": 1.50\n}\n';
    const edit = planUnstoreEdit(text, { kind: 'auths' }, [login]);
    expect(edit.text).toBe(
      `{\n\t"auths": {\n\t\t"ghcr.io": {\n\t\t\t"auth": "${Buffer.from('a:s').toString('base64')}"\n\t\t}\n\t},\n\t"n": 1.50\n}\n`,
    );
    expect(edit.added).toEqual([login]);
    expect(authsHold(JSON.parse(edit.text), login)).toBe(true);
  });

  it('sets credsStore back to a helper and leaves auths alone', () => {
    const edit = planUnstoreEdit('{"credsStore": "ecr-ts"}', { kind: 'helper', name: 'pass' }, [
      login,
    ]);
    expect(JSON.parse(edit.text)).toEqual({ credsStore: 'pass' });
    expect(edit.added).toEqual([]);
  });

  it('keeps a login auths holds for the same server under any spelling', () => {
    const held = { 'https://ghcr.io/': authsEntry({ ...login, username: 'other' }) };
    const edit = planUnstoreEdit(
      JSON.stringify({ auths: held, credsStore: 'ecr-ts' }),
      { kind: 'auths' },
      [login],
    );
    expect(JSON.parse(edit.text)).toEqual({ auths: held });
    expect(edit.conflicts).toEqual([
      {
        serverUrl: 'ghcr.io',
        why: 'auths["https://ghcr.io/"] already holds a login for it (kept)',
      },
    ]);
  });

  it('writes an identity token as docker does', () => {
    expect(authsEntry({ serverUrl: 'x', username: '<token>', secret: 't' })).toEqual({
      identitytoken: 't',
    });
  });
});
