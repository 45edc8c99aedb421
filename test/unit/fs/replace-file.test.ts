import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettingsFile } from '../../../src/fs/read-regular-file';
import { replaceIfUnchanged } from '../../../src/fs/replace-file';
import { useTempDirs } from '../../support/temp-dirs';

const tempDir = useTempDirs();

/** A folder holding config.json with `text`, and that version of it as read. */
function withConfig(text: string) {
  const dir = tempDir();
  const file = join(dir, 'config.json');
  writeFileSync(file, text);
  return { dir, file, version: readSettingsFile(file) };
}

describe('replaceIfUnchanged()', () => {
  it('replaces the file, keeping the mode it is given, after backing up what was read', () => {
    const { dir, file, version } = withConfig('old');
    const outcome = replaceIfUnchanged({
      file,
      expected: version,
      text: 'new',
      mode: 0o640,
      backupNames: [join(dir, 'a.bak'), join(dir, 'b.bak')],
    });
    expect(outcome).toEqual({ replaced: true, backup: join(dir, 'a.bak') });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, 'a.bak'), 'utf8')).toBe('old');
    expect(statSync(join(dir, 'a.bak')).mode & 0o777).toBe(0o600);
  });

  it('takes the next backup name when one is taken', () => {
    const { dir, file, version } = withConfig('old');
    writeFileSync(join(dir, 'a.bak'), 'earlier backup');
    const outcome = replaceIfUnchanged({
      file,
      expected: version,
      text: 'new',
      mode: 0o600,
      backupNames: [join(dir, 'a.bak'), join(dir, 'b.bak')],
    });
    expect(outcome).toEqual({ replaced: true, backup: join(dir, 'b.bak') });
    expect(readFileSync(join(dir, 'a.bak'), 'utf8')).toBe('earlier backup');
  });

  it.each([
    [
      'renamed over it (docker login)',
      (file: string) => {
        writeFileSync(`${file}.other`, '{"auths": {"new": {}}}');
        renameSync(`${file}.other`, file);
      },
    ],
    ['written in place', (file: string) => writeFileSync(file, '{"auths": {"new": {}}}')],
  ])('leaves a file %s since it was read alone, and nothing of its own behind', (_, change) => {
    const { dir, file, version } = withConfig('{"auths": {}}');
    change(file);
    const outcome = replaceIfUnchanged({
      file,
      expected: version,
      text: 'new',
      mode: 0o600,
      backupNames: [join(dir, 'a.bak')],
    });
    expect(outcome).toEqual({ replaced: false });
    expect(readFileSync(file, 'utf8')).toBe('{"auths": {"new": {}}}');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('sees a file created since it was found missing as a change', () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    const version = readSettingsFile(file);
    expect(version).toBeNull();
    writeFileSync(file, '{}');
    const outcome = replaceIfUnchanged({
      file,
      expected: version,
      text: 'new',
      mode: 0o600,
      backupNames: [],
    });
    expect(outcome).toEqual({ replaced: false });
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('removes its temp file when a later step fails, naming the step', () => {
    const { dir, file, version } = withConfig('old');
    let thrown: unknown;
    try {
      replaceIfUnchanged({
        file,
        expected: version,
        text: 'new',
        mode: 0o600,
        backupNames: [join(dir, 'no-such-folder', 'a.bak')],
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ENOENT', step: 'back up' });
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});
