import { parseConfigFile } from '../../../src/config/parse-config-file';
import { createRoutes } from '../../../src/routing/routes';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const routes = createRoutes(
  parseConfigFile(
    JSON.stringify({
      fallback: 'pass',
      registries: {
        [ECR]: { profile: 'prod' },
        'mirror.example.com': { ecr: ECR, roleArn: 'arn:aws:iam::123456789012:role/mirror' },
        '*.corp.example': { helper: 'gcloud' },
        'git.corp.example': { helper: 'gcloud' },
        'ghcr.io': { helper: 'pass' },
        'index.docker.io': { secretsManager: 'hub', profile: 'hub' },
        'quay.io': { anonymous: true },
      },
    }),
    '/c/config.json',
  ),
);

describe('createRoutes()', () => {
  it('routeFor() resolves a host by the table', () => {
    expect(routes.routeFor('git.corp.example')).toEqual({
      kind: 'store',
      store: { kind: 'helper', name: 'gcloud' },
    });
    expect(routes.routeFor(`https://${ECR}`)).toMatchObject({
      kind: 'ecr',
      identity: { profile: 'prod' },
    });
  });

  it('stores() names the fallback first, then each helper a route names, once', () => {
    expect(routes.stores()).toEqual([
      { kind: 'helper', name: 'pass' },
      { kind: 'helper', name: 'gcloud' },
    ]);
  });

  it('identities() are the default one, then those of ECR routes and aliases (not secrets)', () => {
    expect(routes.identities()).toEqual([
      {},
      { profile: 'prod' },
      { roleArn: 'arn:aws:iam::123456789012:role/mirror' },
    ]);
  });
});
