import packageJson from '../../package.json';
import { VERSION } from '../../src/product';

describe('version', () => {
  it('matches package.json', () => {
    expect(VERSION).toBe(packageJson.version);
  });
});
