/**
 * A fake STS answering AssumeRoleWithWebIdentity, AssumeRole and GetCallerIdentity (the Query protocol: a form POST
 * in, XML out) with keys from a KeyStore, so the fake ECR verifies that the helper signs with
 * exactly those keys. AssumeRole must itself be signed with a key the store knows.
 */
import { randomUUID } from 'node:crypto';
import { startFake, type FakeServer, type KeyStore, type ServerTls } from './fake-aws';
import type { IssuedKey } from './sigv4';

/** Options of the fake STS. */
export interface FakeStsOptions {
  readonly keys: KeyStore;
  /** Only this web identity token is accepted (others get InvalidIdentityToken). */
  readonly expectedToken?: string;
  /**
   * AssumeRole of a role in this map needs this external id (as a role's trust policy with an
   * `sts:ExternalId` condition): a missing or different one is AccessDenied, as real STS answers.
   */
  readonly externalIds?: Readonly<Record<string, string>>;
  /**
   * AssumeRoleWithWebIdentity of a role in this map accepts only tokens whose `sub` claim is listed
   * (as a role's trust policy with a `:sub` condition); others are AccessDenied, as real STS answers.
   */
  readonly webIdentitySubjects?: Readonly<Record<string, readonly string[]>>;
  readonly host?: string;
  readonly port?: number;
  readonly tls?: ServerTls;
}

/** The fake STS; `issued` lists the keys it handed out, `calls` the parsed form fields. */
export interface FakeSts extends FakeServer {
  readonly issued: IssuedKey[];
  readonly calls: Record<string, string>[];
}

/** Starts the fake STS on loopback (or the given host and port). */
export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const issued: IssuedKey[] = [];
  const calls: Record<string, string>[] = [];
  // Whose keys AssumeRole handed out: GetCallerIdentity names the assumed role for them.
  const principals = new Map<string, string>();
  const fake = await startFake(options, ({ response, body, fault, verify }) => {
    const form = Object.fromEntries(new URLSearchParams(body.toString()));
    calls.push(form);
    const xml = (status: number, text: string): void => {
      response.writeHead(status, { 'content-type': 'text/xml' });
      response.end(text);
    };
    if (form['Action'] === 'GetCallerIdentity') {
      // Signed by the caller's credentials; it needs no IAM permission, so only bad keys fail.
      const verification = verify();
      if (!verification.ok) {
        return xml(403, errorXml('InvalidClientTokenId', `signature: ${verification.reason}`));
      }
      return xml(
        200,
        callerIdentityXml(principals.get(verification.accessKeyId ?? '') ?? CALLER_ARN),
      );
    }
    if (form['Action'] === 'AssumeRole') {
      // Signed by the source credentials: a wrong source key must fail like real STS would.
      const verification = verify();
      if (!verification.ok) {
        return xml(403, errorXml('InvalidClientTokenId', `signature: ${verification.reason}`));
      }
      if (fault === 'access-denied' || fault === 'unauthorized') {
        return xml(403, errorXml('AccessDenied', 'Not authorized to perform sts:AssumeRole'));
      }
      const externalId = options.externalIds?.[form['RoleArn'] ?? ''];
      if (externalId !== undefined && form['ExternalId'] !== externalId) {
        return xml(
          403,
          errorXml(
            'AccessDenied',
            `User: arn:aws:sts::123456789012:assumed-role/base/s is not authorized to perform: sts:AssumeRole on resource: ${form['RoleArn'] ?? ''}`,
          ),
        );
      }
      const key = options.keys.issue();
      issued.push(key);
      const session = form['RoleSessionName'] ?? 's';
      principals.set(key.accessKeyId, `${assumedRoleArn(form['RoleArn'] ?? '')}/${session}`);
      return xml(200, successXml('AssumeRole', key, form['RoleArn'] ?? '', session));
    }
    if (form['Action'] !== 'AssumeRoleWithWebIdentity') {
      return xml(400, errorXml('InvalidAction', `unsupported action ${form['Action'] ?? ''}`));
    }
    if (fault === 'access-denied' || fault === 'unauthorized') {
      return xml(
        403,
        errorXml('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      );
    }
    if (fault === 'server-error') return xml(500, errorXml('InternalFailure', 'internal failure'));
    if (options.expectedToken !== undefined && form['WebIdentityToken'] !== options.expectedToken) {
      return xml(400, errorXml('InvalidIdentityToken', 'the web identity token is not valid'));
    }
    const subject = subjectOf(form['WebIdentityToken'] ?? '');
    const allowed = options.webIdentitySubjects?.[form['RoleArn'] ?? ''];
    if (allowed !== undefined && !allowed.includes(subject ?? '')) {
      return xml(
        403,
        errorXml('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      );
    }
    const key = options.keys.issue();
    issued.push(key);
    const session = form['RoleSessionName'] ?? 'session';
    principals.set(key.accessKeyId, `${assumedRoleArn(form['RoleArn'] ?? '')}/${session}`);
    xml(200, successXml('AssumeRoleWithWebIdentity', key, form['RoleArn'] ?? '', session, subject));
  });
  return Object.assign(fake, { issued, calls });
}

/** The `sub` claim of a JWT (unverified: the fake trusts its tests), if it has one. */
function subjectOf(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      sub?: unknown;
    };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

function successXml(
  action: 'AssumeRole' | 'AssumeRoleWithWebIdentity',
  key: IssuedKey,
  roleArn: string,
  session: string,
  subject = 'system:serviceaccount:default:test',
): string {
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  const assumed = assumedRoleArn(roleArn);
  const webIdentity =
    action === 'AssumeRoleWithWebIdentity'
      ? `<SubjectFromWebIdentityToken>${subject}</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience><Provider>oidc.example.test</Provider>`
      : '';
  return `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>
    ${webIdentity}
    <AssumedRoleUser>
      <Arn>${assumed}/${session}</Arn>
      <AssumedRoleId>AROATESTROLEID:${session}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${key.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${key.secretAccessKey}</SecretAccessKey>
      <SessionToken>${key.sessionToken ?? ''}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </${action}Result>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</${action}Response>`;
}

/** `arn:aws:sts::<account>:assumed-role/<name>` of a role ARN (the session follows). */
function assumedRoleArn(roleArn: string): string {
  return roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/');
}

/** The principal the fake STS names for every key it knows but did not hand out by AssumeRole. */
export const CALLER_ARN = 'arn:aws:sts::123456789012:assumed-role/test-task-role/session';

function callerIdentityXml(arn: string): string {
  return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${arn}</Arn>
    <UserId>AROATESTROLEID:session</UserId>
    <Account>${arn.split(':')[4] ?? ''}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>`;
}
