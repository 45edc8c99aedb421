import { serverKey } from '../../../src/stores/server-key';

describe('serverKey()', () => {
  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['https://GHCR.io/', 'ghcr.io'],
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['http://user:pw@registry.example.com:5000/v2/x', 'registry.example.com:5000'],
    ['https://bob:pa/ss@registry.example.com/v2/', 'registry.example.com'],
    ['registry.example.com.', 'registry.example.com'],
    ['localhost:5000', 'localhost:5000'],
    ['', ''],
    ['höst.example', ''],
  ])('%j names the server %j', (url, key) => {
    expect(serverKey(url)).toBe(key);
  });

  it('keeps the port: two registries on one host are two servers', () => {
    expect(serverKey('localhost:5000')).not.toBe(serverKey('localhost:5001'));
  });
});
