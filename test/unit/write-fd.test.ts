import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal } from '../../src/write-fd';
import { tempDir } from '../support/env';

describe('isTerminal', () => {
  it('is false for /dev/null, a character device that is no terminal', () => {
    // stdout sent to /dev/null must not count as a terminal: the one-line error would then be
    // shown on neither stream (main.ts says it on stderr only when stdout is no terminal).
    const fd = openSync('/dev/null', 'w');
    try {
      expect(isTerminal(fd)).toBe(false);
    } finally {
      closeSync(fd);
    }
  });

  it('is false for a regular file and for a closed descriptor', () => {
    const fd = openSync(join(tempDir(), 'out'), 'w');
    expect(isTerminal(fd)).toBe(false);
    closeSync(fd);
    expect(isTerminal(fd)).toBe(false);
  });
});
