import { hasEndpointOverride } from '../../../src/aws/endpoint-override';

describe('hasEndpointOverride()', () => {
  it.each<[Record<string, string>, 'ECR' | 'ECR_PUBLIC', boolean]>([
    [{}, 'ECR', false],
    [{ AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' }, 'ECR', true],
    [{ AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' }, 'ECR_PUBLIC', false],
    [{ AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://127.0.0.1:1' }, 'ECR_PUBLIC', true],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, 'ECR_PUBLIC', true],
    [{ AWS_ENDPOINT_URL_ECR: '  ' }, 'ECR', false],
    [{ AWS_ENDPOINT_URL: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'ECR', false],
  ])('%j for %s -> %s', (env, service, expected) => {
    expect(hasEndpointOverride(env, service)).toBe(expected);
  });
});
