import {
  describeAwsError,
  describeAwsFailure,
  describeCredentialError,
} from '../../../src/aws/describe-error';
import { HelperError, type ErrorCode } from '../../../src/errors';

const env = { AWS_EC2_METADATA_DISABLED: 'true' };
const context = {
  action: 'ecr:GetAuthorizationToken',
  region: 'eu-west-1',
  endpoint: 'https://api.ecr.eu-west-1.amazonaws.com',
  env,
};

/** An error shaped like what the SDK throws (name, message, code, $metadata). */
function sdkError(
  name: string,
  message: string,
  extra: { code?: string; status?: number } = {},
): Error {
  return Object.assign(new Error(message), {
    name,
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.status ? { $metadata: { httpStatusCode: extra.status } } : {}),
  });
}

const DENIED =
  'User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: ecr:GetAuthorizationToken on resource: *';

describe('describeAwsFailure() of throttling', () => {
  const throttled = sdkError('ThrottlingException', 'Rate exceeded', { status: 400 });

  it('says how long it was waited out, when it was', () => {
    const failure = describeAwsFailure(throttled, {
      ...context,
      throttledTries: { attempts: 3, waitedMs: 9140 },
    });
    expect(failure.code).toBe('THROTTLED');
    expect(failure.message).toMatch(
      /^ecr:GetAuthorizationToken was throttled at \S+ on 3 attempts over 9\.1 s \(ThrottlingException: Rate exceeded\): /,
    );
    expect(failure.hint).toMatch(/stagger their start, or raise ECR_TS_TIMEOUT/);
  });

  it('names no bucket size for ECR Public, whose limit differs', () => {
    const failure = describeAwsFailure(throttled, {
      ...context,
      action: 'ecr-public:GetAuthorizationToken',
      region: 'us-east-1',
    });
    expect(failure.message).toMatch(
      /: the calling AWS account's ECR Public rate limit in us-east-1 is used up$/,
    );
  });

  it('keeps the plain wording for other APIs (no token bucket there)', () => {
    const failure = describeAwsFailure(throttled, {
      ...context,
      action: 'secretsmanager:GetSecretValue',
    });
    expect(failure.message).toMatch(
      /^secretsmanager:GetSecretValue was throttled .* after retries/,
    );
    expect(failure.message).not.toContain('bucket');
  });
});

describe('describeAwsError()', () => {
  it.each<[string, Error, ErrorCode, RegExp]>([
    [
      'AccessDeniedException names the principal and the action',
      sdkError('AccessDeniedException', DENIED, { status: 400 }),
      'ACCESS_DENIED',
      /^access denied calling ecr:GetAuthorizationToken at https:\/\/api\.ecr\.eu-west-1\.amazonaws\.com \(User: arn:aws:sts::123456789012:assumed-role\/app\/i-1 is not authorized .*\)\. Grant ecr:GetAuthorizationToken/,
    ],
    [
      'any HTTP 403 is access denied',
      sdkError('SomethingForbidden', 'nope', { status: 403 }),
      'ACCESS_DENIED',
      /^access denied calling/,
    ],
    [
      'an unknown key is a rejected credential, even with HTTP 403',
      sdkError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        { status: 403 },
      ),
      'AWS_CREDENTIALS',
      /^the AWS credentials were rejected calling ecr:GetAuthorizationToken .*UnrecognizedClientException/,
    ],
    [
      'an expired session token is a rejected credential',
      sdkError('ExpiredTokenException', 'The security token included in the request is expired', {
        status: 400,
      }),
      'AWS_CREDENTIALS',
      /Refresh or fix the credentials\.$/,
    ],
    [
      "throttling names the calling account's bucket in the region and what to do",
      sdkError('ThrottlingException', 'Rate exceeded', { status: 400 }),
      'THROTTLED',
      /^ecr:GetAuthorizationToken was throttled at https:\/\/api\.ecr\.eu-west-1\.amazonaws\.com \(ThrottlingException: Rate exceeded\): the calling AWS account's GetAuthorizationToken bucket in eu-west-1 \(200 calls, refilled at 20 a second\) is empty\. Machines that start at once share it: stagger their start, or raise ECR_TS_TIMEOUT \(seconds\)/,
    ],
    [
      'HTTP 429 without a known name is throttling',
      sdkError('Unknown', 'slow down', { status: 429 }),
      'THROTTLED',
      /was throttled/,
    ],
    [
      'HTTP 500 names the status',
      sdkError('ServerException', 'internal failure', { status: 500 }),
      'AWS_API',
      /failed at .* with HTTP 500 after retries \(ServerException: internal failure\)/,
    ],
    [
      'ECONNREFUSED names the endpoint',
      sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }),
      'NETWORK',
      /^cannot reach the ECR API at https:\/\/api\.ecr\.eu-west-1\.amazonaws\.com to call ecr:GetAuthorizationToken \(ECONNREFUSED/,
    ],
    [
      'ECONNRESET stays a network error although the SDK names it TimeoutError',
      sdkError('TimeoutError', 'socket hang up', { code: 'ECONNRESET' }),
      'NETWORK',
      /^cannot reach the ECR API .*\(ECONNRESET: socket hang up\)/,
    ],
    [
      'a request timeout is a timeout naming the endpoint',
      sdkError('TimeoutError', 'Connection timed out after 2000 ms'),
      'TIMEOUT',
      /^timed out waiting for the ECR API at https:\/\/api\.ecr\.eu-west-1\.amazonaws\.com to answer ecr:GetAuthorizationToken/,
    ],
    [
      'an untrusted certificate says how to trust a CA',
      sdkError('Error', 'unable to get local issuer certificate', {
        code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      }),
      'NETWORK',
      /^cannot verify the TLS certificate of the ECR API at .*UNABLE_TO_GET_ISSUER_CERT_LOCALLY.*AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS\.$/,
    ],
    [
      'anything else keeps its name and message',
      sdkError('InvalidParameterException', 'bad registry id', { status: 400 }),
      'AWS_API',
      /^ecr:GetAuthorizationToken failed at .* \(InvalidParameterException: bad registry id\)\.$/,
    ],
  ])('%s', (_, error, code, message) => {
    const described = describeAwsError(error, context);
    expect(described).toBeInstanceOf(HelperError);
    expect(described.code).toBe(code);
    expect(described.message).toMatch(message);
    expect(described.message).not.toContain('\n');
    expect(described.cause).toBe(error);
  });

  it('says "in <region>" when no endpoint was reached yet', () => {
    const noEndpoint = { action: context.action, region: context.region, env };
    const described = describeAwsError(
      sdkError('ServerException', 'x', { status: 503 }),
      noEndpoint,
    );
    expect(described.message).toContain('failed in eu-west-1 with HTTP 503');
  });

  it('names ECR Public for ecr-public actions', () => {
    const described = describeAwsError(
      sdkError('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }),
      { ...context, action: 'ecr-public:GetAuthorizationToken' },
    );
    expect(described.message).toMatch(/^cannot reach the ECR Public API at /);
  });

  it('no credentials lists the sources tried, and why a configured one failed', () => {
    const error = sdkError(
      'CredentialsProviderError',
      'Could not load credentials from any providers',
    );
    const plain = describeAwsError(error, context);
    expect(plain.code).toBe('NO_AWS_CREDENTIALS');
    expect(plain.message).toMatch(
      /^no AWS credentials found to call ecr:GetAuthorizationToken\. Sources tried: environment variables/,
    );
    expect(plain.message).toContain(
      'EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)',
    );
    const explained = describeAwsError(error, {
      ...context,
      credentialFailures:
        'container credentials endpoint http://127.0.0.1:3 (AWS_CONTAINER_CREDENTIALS_FULL_URI) failed: connect ECONNREFUSED',
    });
    expect(explained.message).toMatch(
      /^no AWS credentials found to call ecr:GetAuthorizationToken \(container credentials endpoint http:\/\/127\.0\.0\.1:3 .* failed: connect ECONNREFUSED\)\. Sources tried:/,
    );
  });

  it('keeps a specific credential error message (e.g. a broken profile)', () => {
    const error = sdkError('CredentialsProviderError', 'Profile ci could not be found');
    expect(describeAwsError(error, context).message).toContain('(Profile ci could not be found)');
  });

  it('passes a HelperError through unchanged', () => {
    const original = new HelperError('TIMEOUT', 'timed out');
    expect(describeAwsError(original, context)).toBe(original);
  });

  it('copes with non-Error throws', () => {
    const described = describeAwsError('weird', context);
    expect(described.code).toBe('AWS_API');
    expect(described.message).toContain('weird');
  });
});

describe('describeAwsFailure()', () => {
  it('keeps the hint apart from the message, which the error joins into one line', () => {
    const error = sdkError('AccessDeniedException', 'not authorized', { status: 400 });
    const failure = describeAwsFailure(error, context);
    expect(failure).toEqual({
      code: 'ACCESS_DENIED',
      message: `access denied calling ecr:GetAuthorizationToken at ${context.endpoint} (not authorized)`,
      hint: 'Grant ecr:GetAuthorizationToken to that principal in IAM.',
    });
    expect(describeAwsError(error, context).message).toBe(`${failure.message}. ${failure.hint}`);
  });

  it('has no hint where there is nothing to suggest', () => {
    const failure = describeAwsFailure(sdkError('OddException', 'odd', { status: 400 }), context);
    expect(failure.hint).toBeUndefined();
    expect(failure.message).not.toMatch(/\.$/);
  });
});

describe('describeCredentialError()', () => {
  const source = 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)';
  const credentialContext = { ...context, source };

  it.each<[string, Error, ErrorCode, RegExp]>([
    [
      'an STS rejection names the source and what STS said',
      sdkError('InvalidIdentityTokenException', 'the web identity token is not valid', {
        status: 400,
      }),
      'AWS_CREDENTIALS',
      /^getting AWS credentials from web identity \(AWS_WEB_IDENTITY_TOKEN_FILE \+ AWS_ROLE_ARN\) failed, so ecr:GetAuthorizationToken could not be called \(InvalidIdentityTokenException: the web identity token is not valid\)/,
    ],
    [
      'AssumeRole denied points at the trust policy',
      sdkError(
        'AccessDenied',
        'User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole',
        { status: 403 },
      ),
      'ACCESS_DENIED',
      /^access denied getting AWS credentials from web identity .* sts:AssumeRole\)\. Check the role's trust policy/,
    ],
    [
      'a hung STS is a timeout of that source, not of ECR',
      sdkError('TimeoutError', 'timed out'),
      'TIMEOUT',
      /^timed out getting AWS credentials from web identity .*\(TimeoutError after retries\)/,
    ],
    [
      'a refused STS is a network error of that source',
      sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }),
      'NETWORK',
      /^cannot get AWS credentials from web identity .*\(ECONNREFUSED: /,
    ],
  ])('%s', (_, error, code, message) => {
    const described = describeCredentialError(error, credentialContext);
    expect(described.code).toBe(code);
    expect(described.message).toMatch(message);
    expect(described.message).not.toMatch(/ECR API/);
  });

  it('leaves "no credentials" to describeAwsError', () => {
    const error = sdkError(
      'CredentialsProviderError',
      'Could not load credentials from any providers',
    );
    expect(describeCredentialError(error, credentialContext).code).toBe('NO_AWS_CREDENTIALS');
  });
});
