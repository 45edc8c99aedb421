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
    // 443 is no port: nerdctl asks for `host:443` and `https://host:443` before `host`
    ['registry.example.com:443', 'registry.example.com'],
    ['https://registry.example.com:443/v2/', 'registry.example.com'],
    ['http://registry.example.com', 'registry.example.com'],
    ['registry.example.com:4430', 'registry.example.com:4430'],
    ['', ''],
    ['höst.example', ''],
  ])('%j names the server %j', (url, key) => {
    expect(serverKey(url)).toBe(key);
  });

  it('keeps the port: two registries on one host are two servers', () => {
    expect(serverKey('localhost:5000')).not.toBe(serverKey('localhost:5001'));
  });
});
