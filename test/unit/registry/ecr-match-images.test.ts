import { ECR_MATCH_IMAGES } from '../../../src/registry/ecr-match-images';
import { parseRegistry } from '../../../src/registry/parse-registry';
import { urlsMatchStr } from '../../support/kubelet';

/** The ECR host vectors of docs/how-it-works.md that must be answered. */
const ACCEPTED = [
  '123456789012.dkr.ecr.us-east-1.amazonaws.com',
  '123456789012.dkr-ecr.us-west-2.on.aws',
  '123456789012.dkr-ecr-fips.us-west-2.on.aws',
  '123456789012.dkr.ecr.us-west-2.on.aws',
  '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
  '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn',
  '210987654321.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn',
  '210987654321.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn',
  '210987654321.dkr.ecr.us-iso-east-1.c2s.ic.gov',
  '123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov',
  '123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk',
  '123456789012.dkr.ecr.us-isof-east-1.csp.hci.ic.gov',
  '123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu',
  'public.ecr.aws',
  'ecr-public.aws.com',
];

describe('ECR_MATCH_IMAGES', () => {
  it.each(ACCEPTED)('makes the kubelet run the provider for %s', (host) => {
    expect(parseRegistry(host).kind).not.toBe('other');
    const image = `${host}/team/app`;
    expect(ECR_MATCH_IMAGES.some((pattern) => urlsMatchStr(pattern, image))).toBe(true);
  });

  it.each(ECR_MATCH_IMAGES)('%s covers hosts the helper reads as ECR', (pattern) => {
    const region = pattern.includes('c2s.ic.gov')
      ? 'us-iso-east-1'
      : pattern.includes('sc2s.sgov.gov')
        ? 'us-isob-east-1'
        : pattern.includes('adc-e.uk')
          ? 'eu-isoe-west-1'
          : pattern.includes('csp.hci.ic.gov')
            ? 'us-isof-east-1'
            : pattern.includes('amazonaws.eu')
              ? 'eusc-de-east-1'
              : pattern.includes('.cn')
                ? 'cn-north-1'
                : 'us-west-2';
    const labels = pattern.split('.');
    const host = labels
      .map((label, index) => (label === '*' ? (index === 0 ? '123456789012' : region) : label))
      .join('.');
    expect(urlsMatchStr(pattern, host)).toBe(true);
    expect(parseRegistry(host).kind).not.toBe('other');
  });

  it('does not cover look-alike hosts with more labels', () => {
    for (const host of [
      '123456789012.dkr.ecr.us-west-2.amazonaws.com.fake.example.com',
      'public.ecr.aws.fake.example.com',
      'api.ecr.us-east-1.amazonaws.com',
    ]) {
      expect(ECR_MATCH_IMAGES.some((pattern) => urlsMatchStr(pattern, `${host}/app`))).toBe(false);
    }
  });
});
