/**
 * The helper as clients find it on PATH: a small recording wrapper around HELPER_BIN (the
 * JavaScript build, or the single executable when HELPER_BIN says so). It passes stdin, stdout,
 * stderr and the exit status through unchanged and keeps a copy of each for the test.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELPER_BIN } from '../support/run-helper';

/** One run of the helper as a client started it. */
export interface HelperCall {
  readonly args: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Writes `binDir/docker-credential-ecr-ts`, recording each run into `recordDir`. */
export function installRecordingHelper(binDir: string, recordDir: string): void {
  mkdirSync(binDir, { recursive: true });
  mkdirSync(recordDir, { recursive: true });
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const script = [
    '#!/bin/bash',
    `record=${quote(recordDir)}/$(date +%s%N)-$$`,
    `${quote(HELPER_BIN)} "$@" >"$record.out" 2>"$record.err"`,
    'code=$?',
    'printf %s "$*" >"$record.args"',
    'printf %s "$code" >"$record.code"',
    'cat "$record.out"',
    'cat "$record.err" >&2',
    'exit "$code"',
    '',
  ].join('\n');
  const path = join(binDir, 'docker-credential-ecr-ts');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
}

/** Every helper run recorded in `recordDir` so far, oldest first. */
export function readHelperCalls(recordDir: string): HelperCall[] {
  const names = readdirSync(recordDir)
    .filter((name) => name.endsWith('.code'))
    .map((name) => name.slice(0, -'.code'.length))
    .sort();
  const read = (base: string, ext: string) => readFileSync(join(recordDir, base + ext), 'utf8');
  return names.map((base) => ({
    args: read(base, '.args'),
    code: Number(read(base, '.code')),
    stdout: read(base, '.out'),
    stderr: read(base, '.err'),
  }));
}
