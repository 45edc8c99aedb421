/**
 * Every ECR host form parse-registry.ts accepts, as kubelet `matchImages` globs (docs/kubelet.md):
 * private ECR in each partition, with its FIPS and dual-stack forms, and ECR Public. A kubelet glob
 * `*` stays inside one label, as ours do, so `*.dkr.ecr.*.amazonaws.com` covers exactly the
 * account label and the region label. Pure data; a unit test checks each glob against the parser.
 */

/** Registry suffixes of private ECR, and whether each is a dual-stack one (`dkr-ecr` allowed). */
const PRIVATE_SUFFIXES: readonly (readonly [suffix: string, dualStack: boolean])[] = [
  ['amazonaws.com', false],
  ['on.aws', true],
  ['amazonaws.com.cn', false],
  ['on.amazonwebservices.com.cn', true],
  ['c2s.ic.gov', false],
  ['sc2s.sgov.gov', false],
  ['cloud.adc-e.uk', false],
  ['csp.hci.ic.gov', false],
  ['amazonaws.eu', false],
];

/** The globs, private ECR first (plain, then FIPS), then ECR Public's two names. */
export const ECR_MATCH_IMAGES: readonly string[] = [
  ...PRIVATE_SUFFIXES.flatMap(([suffix, dualStack]) => {
    const services = dualStack
      ? ['dkr.ecr', 'dkr-ecr', 'dkr.ecr-fips', 'dkr-ecr-fips']
      : ['dkr.ecr', 'dkr.ecr-fips'];
    return services.map((service) => `*.${service}.*.${suffix}`);
  }),
  'public.ecr.aws',
  'ecr-public.aws.com',
];
