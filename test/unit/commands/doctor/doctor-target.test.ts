import { parseDoctorTarget } from '../../../../src/commands/doctor/doctor-target';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('parseDoctorTarget()', () => {
  it.each([
    [ECR, ECR, undefined],
    [`https://${ECR}/v2/`, ECR, undefined],
    [`${ECR}:443`, `${ECR}:443`, undefined],
    [`${ECR}/app`, ECR, { repository: 'app', reference: 'latest' }],
    [`${ECR}/team/app:1.2`, ECR, { repository: 'team/app', reference: '1.2' }],
    [
      `${ECR}/app@sha256:${'a'.repeat(64)}`,
      ECR,
      { repository: 'app', reference: `sha256:${'a'.repeat(64)}` },
    ],
    [
      'public.ecr.aws/amazonlinux/amazonlinux:2023',
      'public.ecr.aws',
      { repository: 'amazonlinux/amazonlinux', reference: '2023' },
    ],
    ['nginx:1', 'docker.io', { repository: 'library/nginx', reference: '1' }],
    ['localhost:5000/app:1', 'localhost:5000', { repository: 'app', reference: '1' }],
  ])('reads %s as registry %s and image %j', (input, authority, image) => {
    const target = parseDoctorTarget(input);
    expect(target.authority).toBe(authority);
    expect(target.image).toEqual(image);
  });

  it.each([
    ['ecr-cache.example.com:5000/app:1', 'ecr-cache.example.com:5000'],
    ['https://ecr-cache.example.com:5000/v2/', 'ecr-cache.example.com:5000'],
    [`${ECR}/app`, ECR],
    // Docker hands the helper its Docker Hub server URL for Hub images.
    ['nginx:1', 'https://index.docker.io/v1/'],
    ['docker.io/library/nginx', 'https://index.docker.io/v1/'],
  ])('%s: docker asks the helper about %s', (input, serverUrl) => {
    expect(parseDoctorTarget(input).serverUrl).toBe(serverUrl);
  });

  it('classifies the registry as parseRegistry() does', () => {
    expect(parseDoctorTarget(`${ECR}/app:1`).registry).toMatchObject({
      kind: 'private',
      region: 'us-east-1',
    });
    expect(parseDoctorTarget('nginx').registry.kind).toBe('other');
  });

  it.each([`${ECR}/App:1`, `${ECR}/app:-bad`, `${ECR}/app@sha256`, 'https://'])(
    'refuses %s with a USAGE error',
    (input) => {
      expect(() => parseDoctorTarget(input)).toThrow(
        expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(/^doctor: /) }),
      );
    },
  );
});
