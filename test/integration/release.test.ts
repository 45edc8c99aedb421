/**
 * The release files (`npm run build:release`): one per platform, named
 * docker-credential-ecr-ts-<os>-<arch>[-musl], each listed in SHA256SUMS. Those that cannot run on
 * this machine are checked for what they are: executable format, CPU, C library (the ELF
 * interpreter), the embedded program, and for macOS the code signature Apple silicon requires.
 * linux-x64 also runs here; linux-arm64 runs the essentials under qemu (jest.arm64.config.cjs).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const RELEASE = join(__dirname, '..', '..', 'dist', 'release');
const NAME = 'docker-credential-ecr-ts';
// CI builds the release first (.ci/run); elsewhere a missing build skips, saying so.
const present = existsSync(join(RELEASE, 'SHA256SUMS'));
if (!present && process.env['REQUIRE_E2E_PEERS']) {
  throw new Error(`${RELEASE} is missing: run \`npm run build:release\` first`);
}
if (!present)
  process.stderr.write(`release.test.ts: skipped, no ${RELEASE} (npm run build:release)\n`);

/** What each file must be. */
const PLATFORMS = [
  { suffix: 'linux-x64', format: 'elf', cpu: 'x64', interpreter: '/lib64/ld-linux-x86-64.so.2' },
  { suffix: 'linux-arm64', format: 'elf', cpu: 'arm64', interpreter: '/lib/ld-linux-aarch64.so.1' },
  { suffix: 'linux-x64-musl', format: 'elf', cpu: 'x64', interpreter: '/lib/ld-musl-x86_64.so.1' },
  {
    suffix: 'linux-arm64-musl',
    format: 'elf',
    cpu: 'arm64',
    interpreter: '/lib/ld-musl-aarch64.so.1',
  },
  { suffix: 'darwin-x64', format: 'mach-o', cpu: 'x64' },
  { suffix: 'darwin-arm64', format: 'mach-o', cpu: 'arm64' },
] as const;

interface Described {
  format: 'elf' | 'mach-o' | 'unknown';
  cpu?: 'x64' | 'arm64' | number;
  interpreter?: string;
  /** Size of Bun's embedded-program section (ELF .bun) or segment (Mach-O __BUN). */
  programBytes?: number;
  codeSignature?: boolean;
}

const ELF_MACHINES: Record<number, 'x64' | 'arm64'> = { 62: 'x64', 183: 'arm64' };
const MACHO_CPUS: Record<number, 'x64' | 'arm64'> = { 0x01000007: 'x64', 0x0100000c: 'arm64' };

/** Reads the headers of a 64-bit little-endian ELF or Mach-O file. */
function describeBinary(file: Buffer): Described {
  if (file.readUInt32BE(0) === 0x7f454c46 && file[4] === 2 && file[5] === 1) {
    const machine = file.readUInt16LE(18);
    const phoff = Number(file.readBigUInt64LE(32));
    const [phentsize, phnum] = [file.readUInt16LE(54), file.readUInt16LE(56)];
    let interpreter: string | undefined;
    for (let i = 0; i < phnum; i += 1) {
      const header = phoff + i * phentsize;
      if (file.readUInt32LE(header) !== 3) continue; // PT_INTERP
      const offset = Number(file.readBigUInt64LE(header + 8));
      const size = Number(file.readBigUInt64LE(header + 32));
      interpreter = file
        .subarray(offset, offset + size)
        .toString('latin1')
        .replace(/\0+$/, '');
    }
    const shoff = Number(file.readBigUInt64LE(40));
    const [shentsize, shnum, shstrndx] = [58, 60, 62].map((at) => file.readUInt16LE(at)) as [
      number,
      number,
      number,
    ];
    const names = Number(file.readBigUInt64LE(shoff + shstrndx * shentsize + 24));
    let programBytes: number | undefined;
    for (let i = 0; i < shnum; i += 1) {
      const header = shoff + i * shentsize;
      const start = names + file.readUInt32LE(header);
      const name = file.subarray(start, file.indexOf(0, start)).toString('latin1');
      if (name === '.bun') programBytes = Number(file.readBigUInt64LE(header + 32));
    }
    return {
      format: 'elf',
      cpu: ELF_MACHINES[machine] ?? machine,
      ...(interpreter === undefined ? {} : { interpreter }),
      ...(programBytes === undefined ? {} : { programBytes }),
    };
  }
  if (file.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = file.readInt32LE(4);
    const commands = file.readUInt32LE(16);
    let offset = 32;
    let programBytes: number | undefined;
    let codeSignature = false;
    for (let i = 0; i < commands; i += 1) {
      const [command, size] = [file.readUInt32LE(offset), file.readUInt32LE(offset + 4)];
      if (command === 0x19) {
        // LC_SEGMENT_64: segname at +8, filesize at +48.
        const name = file
          .subarray(offset + 8, offset + 24)
          .toString('latin1')
          .replace(/\0+$/, '');
        if (name === '__BUN') programBytes = Number(file.readBigUInt64LE(offset + 48));
      }
      if (command === 0x1d) codeSignature = true; // LC_CODE_SIGNATURE
      offset += size;
    }
    return {
      format: 'mach-o',
      cpu: MACHO_CPUS[cpu] ?? cpu,
      ...(programBytes === undefined ? {} : { programBytes }),
      codeSignature,
    };
  }
  return { format: 'unknown' };
}

(present ? describe : describe.skip)('the release files', () => {
  const sums = (): Map<string, string> =>
    new Map(
      readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const [digest = '', file = ''] = line.split(/\s+\*?/);
          return [file, digest];
        }),
    );

  it('are one file per platform, install.sh and the SBOM, each listed in SHA256SUMS with its digest', () => {
    const files = readdirSync(RELEASE).filter((file) => !file.startsWith('.'));
    const expected = PLATFORMS.map((platform) => `${NAME}-${platform.suffix}`);
    expect(files).toEqual(
      expect.arrayContaining([...expected, 'SHA256SUMS', 'install.sh', `${NAME}.cdx.json`]),
    );
    // Every file but SHA256SUMS and its signature is listed (the packages too, once built).
    const listed = sums();
    expect([...listed.keys()].sort()).toEqual(
      files.filter((file) => !['SHA256SUMS', 'SHA256SUMS.asc'].includes(file)).sort(),
    );
    for (const file of listed.keys()) {
      const digest = createHash('sha256')
        .update(readFileSync(join(RELEASE, file)))
        .digest('hex');
      expect([file, listed.get(file)]).toEqual([file, digest]);
    }
  });

  it('has a CycloneDX SBOM of what the executable bundles, the runtime included', () => {
    const bom = JSON.parse(readFileSync(join(RELEASE, `${NAME}.cdx.json`), 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      metadata: { component: { name: string; version: string } };
      components: { name: string; group?: string; version: string; purl?: string }[];
    };
    const version = (
      JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect([bom.bomFormat, bom.specVersion]).toEqual(['CycloneDX', '1.6']);
    expect(bom.metadata.component).toMatchObject({ name: NAME, version });
    const names = bom.components.map((c) => (c.group ? `${c.group}/${c.name}` : c.name));
    // What the program imports, through the bundle: the SDK clients, the CLI parser, the runtime.
    expect(names).toEqual(
      expect.arrayContaining(['@aws-sdk/client-ecr', '@aws-sdk/client-sts', 'commander', 'bun']),
    );
    // Build and test tools are not in the executable, so not in its SBOM.
    expect(
      names.filter((name) => /^(jest|eslint|typescript|esbuild|prettier)$/.test(name)),
    ).toEqual([]);
    expect(bom.components.every((c) => c.purl?.startsWith('pkg:npm/'))).toBe(true);
  });

  it.each(PLATFORMS)(
    '$suffix is a $format executable for $cpu with the helper inside',
    (platform) => {
      const file = readFileSync(join(RELEASE, `${NAME}-${platform.suffix}`));
      const described = describeBinary(file);
      expect(described).toMatchObject({
        format: platform.format,
        cpu: platform.cpu,
        ...('interpreter' in platform ? { interpreter: platform.interpreter } : {}),
        ...(platform.format === 'mach-o' ? { codeSignature: true } : {}),
      });
      // The compiled program (minified source and bytecode) is megabytes, not a stub.
      expect(described.programBytes).toBeGreaterThan(1_000_000);
      expect(file.includes('credentials not found in native keychain')).toBe(true);
    },
  );

  const native = process.platform === 'linux' && process.arch === 'x64';
  (native ? it : it.skip)('linux-x64 runs here', () => {
    const version = execFileSync(join(RELEASE, `${NAME}-linux-x64`), ['version'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(version).toMatch(/^docker-credential-ecr-ts \S+ \d/);
  });
});
