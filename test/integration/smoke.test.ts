import { startEcrFixture } from '../support/ecr-fixture';
import { scrubProcessEnv } from '../support/env';
import { ECR_HOST } from '../support/registry-host';

scrubProcessEnv();

describe('get with the container credential endpoint (full URI on loopback)', () => {
  it('answers the password the fake ECR issued, signed with the keys the endpoint handed out', async () => {
    const { ecr, creds, get } = await startEcrFixture();
    const result = await get();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ServerURL: ECR_HOST,
      Username: 'AWS',
      Secret: ecr.passwords[0],
    });
    expect(ecr.requests).toHaveLength(1);
    expect(ecr.requests[0]?.verification).toMatchObject({
      ok: true,
      accessKeyId: creds.issued[0]?.accessKeyId,
      region: 'eu-west-1',
      service: 'ecr',
    });
  });
});
