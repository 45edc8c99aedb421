import { ownerProblem, processOwner } from '../../../src/fs/owner';

const ME = 1000;
const stat = (uid: number, mode: number) => ({ uid, mode: 0o100000 | mode });

describe('ownerProblem()', () => {
  it.each([
    ['mine, 0600', stat(ME, 0o600), undefined],
    ['mine, 0755 (others may read, not write)', stat(ME, 0o755), undefined],
    ['mine, group-writable', stat(ME, 0o660), 'group or others can write it (mode 660)'],
    ['mine, world-writable', stat(ME, 0o666), 'group or others can write it (mode 666)'],
    ['mine, sticky 1777', stat(ME, 0o1777), 'group or others can write it (mode 1777)'],
    [
      "another user's, 0600",
      stat(1002, 0o600),
      'it belongs to uid 1002, not to this user (uid 1000)',
    ],
    ["root's, 0600", stat(0, 0o600), 'it belongs to uid 0, not to this user (uid 1000)'],
  ])('%s', (_name, found, problem) => {
    expect(ownerProblem(found, { euid: ME })).toBe(problem);
  });

  it.each([
    ["root's, 0644", stat(0, 0o644), undefined],
    ['mine, 0600', stat(ME, 0o600), undefined],
    [
      "another user's, 0644",
      stat(1002, 0o644),
      'it belongs to uid 1002, not to this user (uid 1000) or root',
    ],
    ["root's, group-writable", stat(0, 0o664), 'group or others can write it (mode 664)'],
    ["root's, world-writable folder", stat(0, 0o40777), 'group or others can write it (mode 777)'],
  ])('trusting root too (system settings): %s', (_name, found, problem) => {
    expect(ownerProblem(found, { euid: ME, rootToo: true })).toBe(problem);
  });

  it('judges no owner where the platform has no uids', () => {
    expect(ownerProblem(stat(0, 0o777), { euid: undefined })).toBeUndefined();
  });
});

describe('ownerProblem() trusting root too, run as root', () => {
  it("is root's own rule", () => {
    expect(ownerProblem(stat(1002, 0o600), { euid: 0, rootToo: true })).toBe(
      'it belongs to uid 1002, not to this user (uid 0)',
    );
  });
});

describe('processOwner()', () => {
  it("is this process's effective uid", () => {
    expect(processOwner()).toEqual({ euid: process.geteuid?.() });
  });
});
