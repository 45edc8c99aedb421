/**
 * AWS_CA_BUNDLE: a PEM file of certificate authorities to trust for the AWS API calls instead of
 * the default store, as the AWS CLI treats it. The JS SDK does not read it, so the agents here do.
 */
import type { Env } from '../env';
import { nonEmpty } from '../env';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../fs/read-regular-file';

/** The bundle's PEM text, or undefined when AWS_CA_BUNDLE is unset; a bad path is a CONFIG error. */
export function readCaBundle(env: Env): string | undefined {
  const path = nonEmpty(env['AWS_CA_BUNDLE']);
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = readRegularFile(path, MAX_SETTINGS_BYTES).bytes.toString('utf8');
  } catch (error) {
    const code = errorCode(error);
    throw new HelperError(
      'CONFIG',
      `cannot read AWS_CA_BUNDLE "${path}" (${code}): fix or unset it`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new HelperError(
      'CONFIG',
      `AWS_CA_BUNDLE "${path}" holds no PEM certificate: it must list CA certificates in PEM form`,
    );
  }
  return pem;
}
