import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCaBundle } from '../../../src/aws/ca-bundle';
import { HelperError } from '../../../src/errors';
import { tempDir } from '../../support/env';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('readCaBundle()', () => {
  it('is undefined when AWS_CA_BUNDLE is unset or blank', () => {
    expect(readCaBundle({})).toBeUndefined();
    expect(readCaBundle({ AWS_CA_BUNDLE: '  ' })).toBeUndefined();
  });

  it('reads the named PEM file', () => {
    const path = join(tempDir('ecr-ts-ca-'), 'ca.pem');
    writeFileSync(path, PEM);
    expect(readCaBundle({ AWS_CA_BUNDLE: path })).toBe(PEM);
  });

  it('names the variable and the reason when the file cannot be read', () => {
    const dir = tempDir('ecr-ts-ca-');
    const missing = join(dir, 'x.pem');
    expect(() => readCaBundle({ AWS_CA_BUNDLE: missing })).toThrow(
      new HelperError('CONFIG', `cannot read AWS_CA_BUNDLE "${missing}" (ENOENT): fix or unset it`),
    );
    mkdirSync(join(dir, 'folder.pem'));
    expect(() => readCaBundle({ AWS_CA_BUNDLE: join(dir, 'folder.pem') })).toThrow(
      /\(not a regular file\): fix or unset it$/,
    );
  });

  it('rejects a file without a PEM certificate', () => {
    const path = join(tempDir('ecr-ts-ca-'), 'x.der');
    writeFileSync(path, 'binary');
    expect(() => readCaBundle({ AWS_CA_BUNDLE: path })).toThrow(/holds no PEM certificate/);
  });
});
