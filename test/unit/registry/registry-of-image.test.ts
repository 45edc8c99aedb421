import { registryOfImage } from '../../../src/registry/registry-of-image';

/** Where Docker keeps Docker Hub logins (`docker login` with no server). */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

describe('registryOfImage()', () => {
  it.each([
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    ],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    ],
    ['ghcr.io/org/app@sha256:abc', 'ghcr.io'],
    ['localhost:5000/app', 'localhost:5000'],
    ['registry:5000/app', 'registry:5000'],
    ['localhost/app', 'localhost'],
    ['quay.io', 'quay.io'],
    ['localhost:5000', 'localhost:5000'],
    ['https://index.docker.io/v1/', 'https://index.docker.io/v1/'],
    ['node', DOCKER_HUB_SERVER],
    ['node:24', DOCKER_HUB_SERVER],
    ['library/node:24', DOCKER_HUB_SERVER],
    ['bitnami/redis', DOCKER_HUB_SERVER],
  ])('%s -> %s', (reference, expected) => {
    expect(registryOfImage(reference)).toBe(expected);
  });
});
