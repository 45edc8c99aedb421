import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ancestorRunningSelf } from '../../../src/stores/ancestor-self';
import { tempDir } from '../../support/env';

/** A fake /proc: `self` and numbered processes, each with its executable, parent and arguments. */
function fakeProc(
  processes: Record<string, { exe: string; ppid: number; args?: string[]; cwd?: string }>,
) {
  const proc = tempDir('ecr-ts-proc-');
  for (const [pid, { exe, ppid, args = [exe], cwd = '/' }] of Object.entries(processes)) {
    const dir = join(proc, pid);
    mkdirSync(dir);
    symlinkSync(exe, join(dir, 'exe'));
    symlinkSync(cwd, join(dir, 'cwd'));
    // The command name may hold spaces and parentheses: the parent is read after the last ')'.
    writeFileSync(join(dir, 'stat'), `${pid} (a (b) c) S ${ppid} 1 1 0 -1`);
    writeFileSync(join(dir, 'cmdline'), `${args.join('\0')}\0`);
  }
  return proc;
}

/** Files standing for executables and scripts (realpath needs them to exist). */
function programs() {
  const dir = tempDir('ecr-ts-programs-');
  const file = (name: string) => {
    writeFileSync(join(dir, name), '');
    return join(dir, name);
  };
  return { dir, helper: file('docker-credential-ecr-ts'), node: file('node'), sh: file('sh') };
}

describe('ancestorRunningSelf()', () => {
  it('finds the nearest ancestor running the same executable, past other programs', () => {
    const { helper, sh } = programs();
    const proc = fakeProc({
      self: { exe: helper, ppid: 300 },
      300: { exe: sh, ppid: 200 },
      200: { exe: helper, ppid: 100 },
      100: { exe: helper, ppid: 1 },
    });
    expect(ancestorRunningSelf([helper], proc)).toBe(200);
  });

  it('finds none when no ancestor runs it', () => {
    const { helper, sh } = programs();
    const proc = fakeProc({ self: { exe: helper, ppid: 300 }, 300: { exe: sh, ppid: 1 } });
    expect(ancestorRunningSelf([helper], proc)).toBeUndefined();
    expect(ancestorRunningSelf([helper], join(proc, 'missing'))).toBeUndefined();
  });

  it('under Node, wants the script among the arguments: Node runs jest too', () => {
    const { dir, helper: script, node, sh } = programs();
    const jest = join(dir, 'jest.js');
    writeFileSync(jest, '');
    const proc = fakeProc({
      self: { exe: node, ppid: 300 },
      300: { exe: sh, ppid: 200 },
      200: { exe: node, ppid: 150, args: ['node', 'docker-credential-ecr-ts', 'get'], cwd: dir },
      150: { exe: node, ppid: 1, args: ['node', jest] },
    });
    expect(ancestorRunningSelf([node, script], proc)).toBe(200);
    const notUs = fakeProc({
      self: { exe: node, ppid: 150 },
      150: { exe: node, ppid: 1, args: ['node', jest] },
    });
    expect(ancestorRunningSelf([node, script], notUs)).toBeUndefined();
  });

  it('stops at a cycle in what /proc says', () => {
    const { helper, sh } = programs();
    const proc = fakeProc({
      self: { exe: helper, ppid: 300 },
      300: { exe: sh, ppid: 301 },
      301: { exe: sh, ppid: 300 },
    });
    expect(ancestorRunningSelf([helper], proc)).toBeUndefined();
  });
});
