import { realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realPathOf } from '../../../src/fs/real-path';
import { tempDir } from '../../support/env';

describe('realPathOf()', () => {
  it('follows every link to the file, and is undefined where a path leads nowhere', () => {
    const dir = realpathSync(tempDir('ecr-ts-real-path-'));
    const file = join(dir, 'program');
    writeFileSync(file, '');
    symlinkSync(file, join(dir, 'one'));
    symlinkSync(join(dir, 'one'), join(dir, 'two'));
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    expect(realPathOf(join(dir, 'two'))).toBe(file);
    expect(realPathOf(file)).toBe(file);
    expect(realPathOf(join(dir, 'missing'))).toBeUndefined();
    expect(realPathOf(join(dir, 'loop'))).toBeUndefined();
  });
});
