/**
 * A throw-away certificate authority for tests, made with the `openssl` CLI: a CA and leaf
 * certificates for the DNS names (and IPs) a fake server answers as, so clients can verify TLS for
 * real (NODE_EXTRA_CA_CERTS for Node, `--cert-dir`/system trust for Go tools) instead of skipping it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './env';

const run = promisify(execFile);

/** A leaf certificate and its private key, as PEM text and as files. */
export interface LeafCertificate {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/** A test CA: its certificate (to trust) and a way to issue server certificates. */
export interface TestCa {
  /** The folder holding every file of this CA; removed by `cleanup`. */
  readonly dir: string;
  /** The CA certificate in PEM, e.g. for `NODE_EXTRA_CA_CERTS`. */
  readonly certPath: string;
  readonly cert: string;
  /** Issues a server certificate for these DNS names and IP addresses (first name is the CN). */
  issue(names: { dns?: readonly string[]; ips?: readonly string[] }): Promise<LeafCertificate>;
  /** Removes the CA's folder (keys included). */
  cleanup(): void;
}

/** True when the `openssl` CLI can be run (tests skip visibly otherwise). */
export async function opensslAvailable(): Promise<boolean> {
  try {
    await run('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** Creates a fresh CA (EC P-256, valid two days) in a new temp folder. */
export async function createTestCa(
  commonName = 'docker-credential-ecr-ts test CA',
): Promise<TestCa> {
  const dir = tempDir('ecr-ts-ca-');
  const certPath = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  // EC keys: generating RSA keys costs hundreds of ms per certificate on these 2-core machines.
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  let serial = 0;
  return {
    dir,
    certPath,
    cert: readFileSync(certPath, 'utf8'),
    async issue({ dns = [], ips = [] }) {
      serial += 1;
      const base = join(dir, `leaf-${serial}`);
      const first = dns[0] ?? ips[0];
      if (first === undefined) throw new Error('issue() needs at least one DNS name or IP');
      const san = [...dns.map((name) => `DNS:${name}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
      writeFileSync(
        `${base}.ext`,
        [
          `subjectAltName=${san}`,
          'basicConstraints=CA:FALSE',
          'keyUsage=critical,digitalSignature,keyEncipherment',
          'extendedKeyUsage=serverAuth',
          '',
        ].join('\n'),
      );
      await run('openssl', [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${first}`,
      ]);
      await run('openssl', [
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        certPath,
        '-CAkey',
        caKey,
        '-set_serial',
        String(1000 + serial),
        '-days',
        '2',
        '-extfile',
        `${base}.ext`,
        '-out',
        `${base}.crt`,
      ]);
      return {
        cert: readFileSync(`${base}.crt`, 'utf8'),
        key: readFileSync(`${base}.key`, 'utf8'),
        certPath: `${base}.crt`,
        keyPath: `${base}.key`,
      };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
