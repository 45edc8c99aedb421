import type { HttpsGet } from '../../../../src/commands/doctor/https-get';
import { createRegistryClient } from '../../../../src/commands/doctor/registry-client';

const basic = `Basic ${Buffer.from('AWS:pw').toString('base64')}`;

describe('createRegistryClient()', () => {
  it('follows a Bearer challenge to the token service (as ECR Public answers), then retries', async () => {
    const seen: { url: string; authorization: string | undefined }[] = [];
    const tokens: string[] = [];
    const get: HttpsGet = async (url, { headers }) => {
      seen.push({ url, authorization: headers['authorization'] });
      if (url.startsWith('https://public.ecr.aws/token')) {
        return { status: 200, headers: {}, body: '{"token":"bearer-xyz"}' };
      }
      if (headers['authorization'] === 'Bearer bearer-xyz')
        return { status: 200, headers: {}, body: '{}' };
      return {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer realm="https://public.ecr.aws/token",service="public.ecr.aws"',
        },
        body: '',
      };
    };
    const client = createRegistryClient({
      authority: 'public.ecr.aws',
      username: 'AWS',
      password: 'pw',
      get,
      secret: (t) => tokens.push(t),
      hide: (text) => text,
      hideQuoted: (text) => text,
    });
    const answer = await client('/v2/a/manifests/1', { scope: 'repository:a:pull' });
    expect(answer).toMatchObject({ status: 200, auth: 'bearer' });
    expect(seen).toEqual([
      { url: 'https://public.ecr.aws/v2/a/manifests/1', authorization: basic },
      {
        url: 'https://public.ecr.aws/token?service=public.ecr.aws&scope=repository%3Aa%3Apull',
        authorization: basic,
      },
      { url: 'https://public.ecr.aws/v2/a/manifests/1', authorization: 'Bearer bearer-xyz' },
    ]);
    // The password and the Basic value it sends, then the bearer token it got.
    expect(tokens).toEqual(['pw', Buffer.from('AWS:pw').toString('base64'), 'bearer-xyz']);
  });

  it('never sends the password to a token service over plain HTTP', async () => {
    const urls: string[] = [];
    const get: HttpsGet = async (url) => {
      urls.push(url);
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="http://evil.example/token"' },
        body: '',
      };
    };
    const client = createRegistryClient({
      authority: 'r.example',
      username: 'AWS',
      password: 'pw',
      get,
      secret: () => undefined,
      hide: (text) => text,
      hideQuoted: (text) => text,
    });
    expect(await client('/v2/', {})).toMatchObject({ status: 401, auth: 'basic' });
    expect(urls).toEqual(['https://r.example/v2/']);
  });
});
