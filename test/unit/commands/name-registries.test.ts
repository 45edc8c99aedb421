import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nameRegistries, namedRegistriesLines } from '../../../src/commands/name-registries';
import { parseConfigFile } from '../../../src/config/parse-config-file';
import { tempDir } from '../../support/env';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

function setUp(text?: string) {
  const home = tempDir('ecr-ts-name-registries-');
  const file = join(home, '.config', 'docker-credential-ecr-ts', 'config.json');
  if (text !== undefined) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  const name = (registries: string[], dryRun = false) =>
    nameRegistries({ registries, env: {}, home, dryRun, now: () => new Date() });
  return { file, name };
}

describe('nameRegistries (configure --store REGISTRY...)', () => {
  it('creates the config file (0600) with an empty key per registry host', () => {
    const { file, name } = setUp();
    const named = name([ECR, `https://${ECR}/v2/`, 'public.ecr.aws/amazonlinux/amazonlinux']);
    expect(named).toEqual({ configFile: file, added: [ECR, 'public.ecr.aws'], present: [] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      registries: { [ECR]: {}, 'public.ecr.aws': {} },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps every other byte, the indentation included, and keys already there', () => {
    const before =
      '{\n\t"fallback": "pass",\n\t"registries": {\n\t\t"public.ecr.aws": { "profile": "pub" }\n\t}\n}\n';
    const { file, name } = setUp(before);
    const named = name(['public.ecr.aws', ECR]);
    expect([named.added, named.present]).toEqual([[ECR], ['public.ecr.aws']]);
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(
      before.replace('{ "profile": "pub" }\n', `{ "profile": "pub" },\n\t\t"${ECR}": {}\n`),
    );
    expect(parseConfigFile(after, file).fallback).toEqual({ kind: 'helper', name: 'pass' });
    expect(namedRegistriesLines(named, false)).toEqual([
      `added registries["${ECR}"] = {} to ${file} (so list names it)`,
      `already in ${file}: registries["public.ecr.aws"]`,
    ]);
  });

  it('adds registries to a file without them', () => {
    const { file, name } = setUp('{\n  "fallback": "none"\n}\n');
    name([ECR]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      fallback: 'none',
      registries: { [ECR]: {} },
    });
  });

  it('writes nothing in a dry run, or when every key is there', () => {
    const { file, name } = setUp();
    expect(name([ECR], true).added).toEqual([ECR]);
    expect(existsSync(file)).toBe(false);
    name([ECR]);
    const written = statSync(file);
    expect(name([ECR])).toMatchObject({ added: [], present: [ECR] });
    expect(statSync(file).mtimeMs).toBe(written.mtimeMs);
  });

  it('refuses a config file the helper could not read, and leaves it as it was', () => {
    const broken = '{"registries": {"a.example": {"profile": "p"}}}';
    const { file, name } = setUp(broken);
    expect(() => name([ECR])).toThrow(
      /registries\["a\.example"\]: "a\.example" is not an ECR registry host.*; fix it first, nothing was changed/,
    );
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});
