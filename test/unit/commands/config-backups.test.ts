import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configBackups, pruneBackups } from '../../../src/commands/config-backups';
import { backupsHolding } from '../../../src/commands/migrate-store';
import { tempDir } from '../../support/env';

const auth = (user: string, password: string) => ({
  auth: Buffer.from(`${user}:${password}`).toString('base64'),
});

describe('the backups of config.json', () => {
  it('are listed oldest first, same-second ones by their number, other files ignored', () => {
    const dir = tempDir('ecr-ts-backups-');
    const file = join(dir, 'config.json');
    for (const name of [
      'config.json.20261129T010203Z-1.bak',
      'config.json.20261129T010203Z.bak',
      'config.json.20251129T010203Z.bak',
      'config.json.mine.bak',
      'other.json.20251129T010203Z.bak',
    ]) {
      writeFileSync(join(dir, name), '{}');
    }
    symlinkSync(join(dir, 'config.json.mine.bak'), join(dir, 'config.json.20201129T010203Z.bak'));
    expect(configBackups(file).map((path) => path.slice(dir.length + 1))).toEqual([
      'config.json.20251129T010203Z.bak',
      'config.json.20261129T010203Z.bak',
      'config.json.20261129T010203Z-1.bak',
    ]);
  });

  it('are pruned to the newest 5', () => {
    const dir = tempDir('ecr-ts-backups-');
    const file = join(dir, 'config.json');
    for (let day = 1; day <= 7; day += 1) {
      writeFileSync(join(dir, `config.json.2026010${day}T000000Z.bak`), '{}');
    }
    expect(pruneBackups(file).map((path) => path.slice(dir.length + 1))).toEqual([
      'config.json.20260101T000000Z.bak',
      'config.json.20260102T000000Z.bak',
    ]);
    expect(readdirSync(dir)).toHaveLength(5);
  });

  it('that hold a moved password are named, with how many', () => {
    const dir = tempDir('ecr-ts-backups-');
    const file = join(dir, 'config.json');
    const write = (name: string, auths: object) =>
      writeFileSync(join(dir, name), JSON.stringify({ auths }));
    write('config.json.20260101T000000Z.bak', {
      'ghcr.io': auth('a', 'pw'),
      'q.io': auth('q', 'qp'),
    });
    write('config.json.20260102T000000Z.bak', { 'ghcr.io': auth('a', 'other') });
    writeFileSync(join(dir, 'config.json.20260103T000000Z.bak'), 'not json');
    const moved = [
      { serverUrl: 'ghcr.io', username: 'a', secret: 'pw' },
      { serverUrl: 'q.io', username: 'q', secret: 'qp' },
    ];
    expect(backupsHolding(file, moved)).toEqual([
      { path: join(dir, 'config.json.20260101T000000Z.bak'), count: 2 },
    ]);
  });
});
