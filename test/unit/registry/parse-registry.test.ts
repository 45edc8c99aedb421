import fc from 'fast-check';
import { extractHost, parseRegistry, tokenService } from '../../../src/registry/parse-registry';

describe('parseRegistry() accepts every ECR host form of docs/ecr-hosts.md', () => {
  it.each([
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      '123456789012',
      'us-east-1',
      'aws',
      false,
      false,
    ],
    [
      'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/blah/blah',
      '123456789012',
      'us-east-1',
      'aws',
      false,
      false,
    ],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com:443',
      '123456789012',
      'us-east-1',
      'aws',
      false,
      false,
    ],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/my/repo:tag',
      '123456789012',
      'us-east-1',
      'aws',
      false,
      false,
    ],
    ['123456789012.dkr-ecr.us-west-2.on.aws', '123456789012', 'us-west-2', 'aws', false, true],
    ['123456789012.dkr-ecr-fips.us-west-2.on.aws', '123456789012', 'us-west-2', 'aws', true, true],
    [
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
      '123456789012',
      'us-gov-west-1',
      'aws-us-gov',
      true,
      false,
    ],
    [
      '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/foo',
      '210987654321',
      'cn-north-1',
      'aws-cn',
      false,
      false,
    ],
    [
      '210987654321.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn',
      '210987654321',
      'cn-north-1',
      'aws-cn',
      false,
      true,
    ],
    [
      '210987654321.dkr.ecr.us-iso-east-1.c2s.ic.gov',
      '210987654321',
      'us-iso-east-1',
      'aws-iso',
      false,
      false,
    ],
    [
      '123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov',
      '123456789012',
      'us-isob-east-1',
      'aws-iso-b',
      false,
      false,
    ],
    [
      '123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk',
      '123456789012',
      'eu-isoe-west-1',
      'aws-iso-e',
      false,
      false,
    ],
    [
      '123456789012.dkr.ecr.us-isof-east-1.csp.hci.ic.gov',
      '123456789012',
      'us-isof-east-1',
      'aws-iso-f',
      false,
      false,
    ],
    [
      '123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu',
      '123456789012',
      'eusc-de-east-1',
      'aws-eusc',
      false,
      false,
    ],
  ])('%s -> private %s %s', (input, accountId, region, partition, fips, dualStack) => {
    expect(parseRegistry(input)).toMatchObject({
      kind: 'private',
      accountId,
      region,
      partition,
      fips,
      dualStack,
    });
  });

  it.each([
    ['public.ecr.aws', false],
    ['https://public.ecr.aws/amazonlinux', false],
    ['ecr-public.aws.com', true],
  ])('%s -> public', (input, dualStack) => {
    expect(parseRegistry(input)).toEqual({ kind: 'public', host: extractHost(input), dualStack });
  });

  it.each([
    'HTTPS://123456789012.DKR.ECR.US-EAST-1.AMAZONAWS.COM',
    'http://123456789012.dkr.ecr.us-east-1.amazonaws.com',
    'https://user:pass@123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com.',
    '  123456789012.dkr.ecr.us-east-1.amazonaws.com  ',
  ])('tolerates scheme, user info, case, trailing dot and spaces: %s', (input) => {
    expect(parseRegistry(input)).toMatchObject({
      kind: 'private',
      host: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      region: 'us-east-1',
    });
  });
});

describe('parseRegistry() rejects look-alike hosts', () => {
  it.each([
    '.dkr.ecr.not-real.amazonaws.com',
    'not.ecr.io',
    'registry-1.docker.io',
    '123456789012.dkr.ecr.us-west-2.amazonaws.com.fake.example.com',
    'https://123456789012.dkr.ecr.us-west-2.amazonaws.com.fake.example.com/v2/',
    '123456789012.dkr.ecr.us-west-2.amazonaws.com.fake.example.com/repo',
    '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn.fake.example.com.cn',
    '210987654321.dkr.ecr.cn-north-1.on.aws.com.cn',
    'public.ecr.aws.fake.example.com',
    'evil.com/123456789012.dkr.ecr.us-east-1.amazonaws.com',
    '12345678901.dkr.ecr.us-east-1.amazonaws.com',
    '1234567890123.dkr.ecr.us-east-1.amazonaws.com',
    'api.ecr.us-east-1.amazonaws.com',
    'https://index.docker.io/v1/',
    '',
    'a123456789012.dkr.ecr.us-east-1.amazonaws.com',
    '123456789012.dkr-ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.cn-north-1.amazonaws.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com.cn',
    '123456789012.dkr.ecr.us-east-1.c2s.ic.gov',
    '123456789012.dkr.ecr..amazonaws.com',
    '123456789012.dkr.ecr.us_east_1.amazonaws.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com:notaport',
    'evil.com?123456789012.dkr.ecr.us-east-1.amazonaws.com',
    'evil.com#@123456789012.dkr.ecr.us-east-1.amazonaws.com',
    '123456789012.d\u212Ar.ecr.us-east-1.amazonaws.com', // Kelvin sign lower-cases to "k"
    'publ\u0130c.ecr.aws',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com\u3002',
  ])('%j is not ECR', (input) => {
    expect(parseRegistry(input).kind).toBe('other');
  });
});

// Property-based: generate look-alikes of real ECR hosts and show none is accepted.
const accountIds = fc.stringMatching(/^\d{12}$/);
const regions = fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1');
const realHost = fc
  .tuple(accountIds, regions, fc.boolean())
  .map(
    ([account, region, fips]) => `${account}.dkr.ecr${fips ? '-fips' : ''}.${region}.amazonaws.com`,
  );
const ecrHost = fc.oneof(realHost, fc.constantFrom('public.ecr.aws', 'ecr-public.aws.com'));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const unicodeChar = fc.constantFrom(
  '\u212A',
  '\u0130',
  '\u0131',
  '\uFF0E',
  '\u3002',
  '\u00E9',
  '\u0430',
  '\u200B',
  '\uFF11',
);

describe('parseRegistry() property: look-alikes are never accepted', () => {
  it('a suffix appended after a label boundary', () => {
    fc.assert(
      fc.property(ecrHost, fc.array(label, { minLength: 1, maxLength: 3 }), (host, labels) => {
        expect(parseRegistry(`${host}.${labels.join('.')}`).kind).toBe('other');
      }),
    );
  });

  it('characters glued onto either end of the host', () => {
    fc.assert(
      fc.property(ecrHost, label, fc.boolean(), (host, extra, before) => {
        const candidate = before ? `${extra}${host}` : `${host}${extra}`;
        fc.pre(candidate !== host);
        expect(parseRegistry(candidate).kind).toBe('other');
      }),
    );
  });

  it('a label added in front or in the middle', () => {
    fc.assert(
      fc.property(ecrHost, label, fc.nat(), (host, extra, at) => {
        const labels = host.split('.');
        labels.splice(at % labels.length, 0, extra);
        expect(parseRegistry(labels.join('.')).kind).toBe('other');
      }),
    );
  });

  it('two labels swapped', () => {
    fc.assert(
      fc.property(realHost, fc.nat(), fc.nat(), (host, i, j) => {
        const labels = host.split('.');
        const a = i % labels.length;
        const b = j % labels.length;
        fc.pre(labels[a] !== labels[b]);
        [labels[a], labels[b]] = [labels[b] ?? '', labels[a] ?? ''];
        expect(parseRegistry(labels.join('.')).kind).toBe('other');
      }),
    );
  });

  it('the real host hidden in user info, path, query or fragment of another host', () => {
    fc.assert(
      fc.property(
        ecrHost,
        label,
        fc.constantFrom('/', '?', '#', '/v2/'),
        fc.boolean(),
        (host, evil, separator, scheme) => {
          const prefix = scheme ? 'https://' : '';
          expect(parseRegistry(`${prefix}${evil}.com${separator}${host}`).kind).toBe('other');
          expect(parseRegistry(`${prefix}${host}@${evil}.com`).kind).toBe('other');
        },
      ),
    );
  });

  it('any non-ASCII character substituted or inserted', () => {
    fc.assert(
      fc.property(ecrHost, unicodeChar, fc.nat(), fc.boolean(), (host, char, at, replace) => {
        const index = at % host.length;
        const candidate = host.slice(0, index) + char + host.slice(index + (replace ? 1 : 0));
        expect(parseRegistry(candidate).kind).toBe('other');
      }),
    );
  });

  it('stays accepted under ports, paths, user info, case and schemes', () => {
    fc.assert(
      fc.property(
        ecrHost,
        fc.option(fc.integer({ min: 1, max: 65535 })),
        fc.option(fc.array(label, { maxLength: 3 })),
        fc.boolean(),
        fc.constantFrom('', 'https://', 'http://', 'https://u:p@'),
        (host, port, path, upper, scheme) => {
          const shaped = `${scheme}${upper ? host.toUpperCase() : host}${port === null ? '' : `:${port}`}${path === null ? '' : `/${path.join('/')}`}`;
          expect(parseRegistry(shaped).kind).not.toBe('other');
          expect(extractHost(shaped)).toBe(host);
        },
      ),
    );
  });
});

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('parseRegistry() agrees with URL parsers on which host a client would contact', () => {
  it.each([`https://evil.example\\@${ECR}/v2/`, `evil.example\\@${ECR}`, `evil.example\\${ECR}`])(
    'rejects %s: a WHATWG parser connects to evil.example',
    (input) => {
      // The premise: Node's own URL parser sends this request to the look-alike host.
      expect(new URL(input.includes('://') ? input : `https://${input}`).hostname).toBe(
        'evil.example',
      );
      expect(parseRegistry(input)).toEqual({ kind: 'other', host: 'evil.example' });
    },
  );

  it.each([
    [`\uFEFF${ECR}`, 'a byte order mark before the host'],
    [`${ECR}\r\n`, 'a CRLF line ending'],
    [`\t ${ECR} \t`, 'tabs and spaces around the host'],
  ])('accepts %j (%s)', (input) => {
    expect(parseRegistry(input)).toMatchObject({ kind: 'private', host: ECR });
  });

  it.each([
    `${ECR}\u0000`,
    `\u0000${ECR}`,
    `${ECR}\uFFFD`,
    '[::1]:5000',
    'localhost:5000',
    'https://',
  ])('answers %j as another registry', (input) => {
    expect(parseRegistry(input).kind).toBe('other');
  });
});

describe('tokenService()', () => {
  const service = (host: string) => {
    const registry = parseRegistry(host);
    if (registry.kind === 'other') throw new Error(`${host} is not ECR`);
    return tokenService(registry);
  };

  it("is private ECR's own partition and region", () => {
    expect(service('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')).toEqual({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      service: 'ecr',
    });
  });

  it('is us-east-1 of the aws partition for ECR Public, whatever its host', () => {
    for (const host of ['public.ecr.aws', 'ecr-public.aws.com']) {
      expect(service(host)).toEqual({
        partition: 'aws',
        region: 'us-east-1',
        service: 'ecr-public',
      });
    }
  });
});
