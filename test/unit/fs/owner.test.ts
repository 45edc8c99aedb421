import { ownerOrRootProblem, ownerProblem, processOwner } from '../../../src/fs/owner';

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

  it('judges no owner where the platform has no uids', () => {
    expect(ownerProblem(stat(0, 0o777), { euid: undefined })).toBeUndefined();
  });
});

describe('ownerOrRootProblem()', () => {
  it.each([
    ['mine, 0600', stat(ME, 0o600), undefined],
    ["root's, 0644", stat(0, 0o644), undefined],
    ["root's, 0666", stat(0, 0o666), 'group or others can write it (mode 666)'],
    ["another user's", stat(1002, 0o600), 'it belongs to uid 1002, not to this user (uid 1000)'],
  ])('%s', (_name, found, problem) => {
    expect(ownerOrRootProblem(found, { euid: ME })).toBe(problem);
  });

  it("for root, is root's rule", () => {
    expect(ownerOrRootProblem(stat(1002, 0o600), { euid: 0 })).toBe(
      'it belongs to uid 1002, not to this user (uid 0)',
    );
  });
});

describe('processOwner()', () => {
  it("is this process's effective uid", () => {
    expect(processOwner()).toEqual({ euid: process.geteuid?.() });
  });
});
