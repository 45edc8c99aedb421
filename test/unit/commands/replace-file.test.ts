import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceIfUnchanged } from '../../../src/commands/replace-file';
import { useTempDirs } from '../../support/temp-dirs';

const tempDir = useTempDirs();

describe('replaceIfUnchanged()', () => {
  it('replaces the file, keeping the mode it is given, after backing up what was read', () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, 'old');
    const outcome = replaceIfUnchanged({
      file,
      expected: Buffer.from('old'),
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
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, 'old');
    writeFileSync(join(dir, 'a.bak'), 'earlier backup');
    const outcome = replaceIfUnchanged({
      file,
      expected: Buffer.from('old'),
      text: 'new',
      mode: 0o600,
      backupNames: [join(dir, 'a.bak'), join(dir, 'b.bak')],
    });
    expect(outcome).toEqual({ replaced: true, backup: join(dir, 'b.bak') });
    expect(readFileSync(join(dir, 'a.bak'), 'utf8')).toBe('earlier backup');
  });

  it('leaves a file that changed since it was read alone, and nothing of its own behind', () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, 'written by docker login meanwhile');
    const outcome = replaceIfUnchanged({
      file,
      expected: Buffer.from('what configure read'),
      text: 'new',
      mode: 0o600,
      backupNames: [join(dir, 'a.bak')],
    });
    expect(outcome).toEqual({ replaced: false });
    expect(readFileSync(file, 'utf8')).toBe('written by docker login meanwhile');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('sees a file created since it was found missing as a change', () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, '{}');
    const outcome = replaceIfUnchanged({
      file,
      expected: null,
      text: 'new',
      mode: 0o600,
      backupNames: [],
    });
    expect(outcome).toEqual({ replaced: false });
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('removes its temp file and backup when a later step fails, naming the step', () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    mkdirSync(file); // reading it fails (EISDIR) once the temp file and the backup exist
    let thrown: unknown;
    try {
      replaceIfUnchanged({
        file,
        expected: Buffer.from('old'),
        text: 'new',
        mode: 0o600,
        backupNames: [join(dir, 'a.bak')],
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'EISDIR', step: 'read' });
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
});
