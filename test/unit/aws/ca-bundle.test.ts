import { readCaBundle } from '../../../src/aws/ca-bundle';
import { HelperError } from '../../../src/errors';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('readCaBundle()', () => {
  it('is undefined when AWS_CA_BUNDLE is unset or blank', () => {
    expect(readCaBundle({})).toBeUndefined();
    expect(readCaBundle({ AWS_CA_BUNDLE: '  ' })).toBeUndefined();
  });

  it('reads the named PEM file', () => {
    expect(
      readCaBundle({ AWS_CA_BUNDLE: '/ca.pem' }, (path) => (path === '/ca.pem' ? PEM : '')),
    ).toBe(PEM);
  });

  it('names the variable and the reason when the file cannot be read', () => {
    const missing = (): string => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    expect(() => readCaBundle({ AWS_CA_BUNDLE: '/x.pem' }, missing)).toThrow(
      new HelperError('CONFIG', 'cannot read AWS_CA_BUNDLE "/x.pem" (ENOENT): fix or unset it'),
    );
  });

  it('rejects a file without a PEM certificate', () => {
    expect(() => readCaBundle({ AWS_CA_BUNDLE: '/x.der' }, () => 'binary')).toThrow(
      /holds no PEM certificate/,
    );
  });
});
