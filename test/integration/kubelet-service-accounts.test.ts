/**
 * Service-account token mode (docs/kubelet.md): with a token in the request, the provider assumes
 * the role the service account names (or the route's roleArn) through a fake STS
 * AssumeRoleWithWebIdentity whose trust policy admits listed subjects only, then signs ECR with
 * that role. Roles and service accounts never share a cached token; no role is refused, naming the
 * annotation, unless the node identity is allowed; the token is never an answer or a log line.
 */
import { scrubProcessEnv } from '../support/env';
import {
  ECR,
  OTHER_ECR,
  ROUTE_ROLE,
  serviceAccountToken,
  startKubeletWorld,
  type KubeletWorld,
} from './kubelet-world';

scrubProcessEnv();

const ROLE_A = 'arn:aws:iam::123456789012:role/team-a-puller';
const ROLE_B = 'arn:aws:iam::123456789012:role/team-b-puller';
const ANNOTATION = 'eks.amazonaws.com/ecr-role-arn';

let w: KubeletWorld;
beforeEach(async () => {
  w = await startKubeletWorld({
    webIdentitySubjects: {
      [ROLE_A]: ['system:serviceaccount:team-a:app'],
      [ROLE_B]: ['system:serviceaccount:team-b:app'],
      [ROUTE_ROLE]: ['system:serviceaccount:team-a:app'],
    },
  });
  const configured = await w.configure();
  expect(configured.code).toBe(0);
});

const webIdentityCalls = (world: KubeletWorld) =>
  world.sts.calls.filter((call) => call['Action'] === 'AssumeRoleWithWebIdentity');

describe('pulling with a service-account token', () => {
  it("assumes the annotated role with the pod's token and pulls as that role", async () => {
    const token = serviceAccountToken('team-a', 'app');
    const pull = await w.kubelet().pull(`${ECR}/app`, {
      serviceAccountToken: token,
      annotations: { [ANNOTATION]: ROLE_A },
    });
    expect(pull.error).toBeUndefined();
    expect(pull.response?.serviceAccountTokenCacheType).toBe('ServiceAccount');
    expect(pull.credentials).toEqual([{ username: 'AWS', password: w.ecr.passwords[0] }]);
    expect(pull.credentials[0]?.password).not.toBe(token);
    expect(webIdentityCalls(w)).toEqual([
      expect.objectContaining({
        RoleArn: ROLE_A,
        WebIdentityToken: token,
        RoleSessionName: 'docker-credential-ecr-ts',
      }),
    ]);
    // Unsigned, and ECR was signed with the role's keys, not the node's.
    const stsRequest = w.sts.requests.find((request) => request.body.includes('WebIdentity'));
    expect(stsRequest?.headers.authorization).toBeUndefined();
    const signedBy = w.ecr.requests.at(-1)?.verification?.accessKeyId;
    expect(signedBy).toBe(w.sts.issued[0]?.accessKeyId);
    expect(signedBy).not.toBe(w.node.accessKeyId);
    expect(pull.stdout + pull.stderr).not.toContain(token);
  });

  it('two service accounts with two roles never share a token; one service account reuses its own', async () => {
    const pullAs = (team: string, role: string, pod: string) =>
      w.kubelet().pull(`${ECR}/app`, {
        serviceAccountToken: serviceAccountToken(team, 'app', pod),
        annotations: { [ANNOTATION]: role },
      });
    const a = await pullAs('team-a', ROLE_A, 'p1');
    const b = await pullAs('team-b', ROLE_B, 'p2');
    expect(a.credentials[0]?.password).not.toBe(b.credentials[0]?.password);
    expect(w.ecr.tokenCalls()).toBe(2);
    // Another pod of team-a, a new token, a restarted kubelet: the cached token of team-a's role.
    const again = await pullAs('team-a', ROLE_A, 'p3');
    expect(again.credentials[0]?.password).toBe(a.credentials[0]?.password);
    expect(w.ecr.tokenCalls()).toBe(2);
    expect(webIdentityCalls(w)).toHaveLength(2);
  });

  it("a service account naming a role it may not assume gets STS's refusal, not another's cached token", async () => {
    await w.kubelet().pull(`${ECR}/app`, {
      serviceAccountToken: serviceAccountToken('team-a', 'app'),
      annotations: { [ANNOTATION]: ROLE_A },
    });
    const intruder = await w.kubelet().pull(`${ECR}/app`, {
      serviceAccountToken: serviceAccountToken('team-b', 'app'),
      annotations: { [ANNOTATION]: ROLE_A },
    });
    expect(intruder.exitCode).toBe(1);
    expect(intruder.credentials).toEqual([]);
    expect(intruder.stderr).toMatch(
      new RegExp(
        `access denied getting AWS credentials from sts:AssumeRoleWithWebIdentity of ${ROLE_A}`,
      ),
    );
    expect(intruder.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(w.ecr.tokenCalls()).toBe(1);
  });

  it("with no annotation the route's roleArn is assumed with the token", async () => {
    const pull = await w.kubelet().pull(`${OTHER_ECR}/app`, {
      serviceAccountToken: serviceAccountToken('team-a', 'app'),
    });
    expect(pull.credentials).toHaveLength(1);
    expect(webIdentityCalls(w).map((call) => call['RoleArn'])).toEqual([ROUTE_ROLE]);
  });

  it('with no role at all: refused naming the annotation, or the node identity when allowed', async () => {
    const token = serviceAccountToken('team-a', 'app');
    const refused = await w.kubelet().pull(`${ECR}/app`, { serviceAccountToken: token });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/no "eks.amazonaws.com\/ecr-role-arn" annotation/);
    expect(refused.stderr).toMatch(/ECR_TS_KUBELET_NODE_FALLBACK=true/);
    expect(w.ecr.tokenCalls()).toBe(0);

    const reconfigured = await w.configure([], { ECR_TS_KUBELET_NODE_FALLBACK: 'true' });
    expect(reconfigured.code).toBe(0);
    const node = await w.kubelet().pull(`${ECR}/app`, { serviceAccountToken: token });
    expect(node.credentials).toHaveLength(1);
    expect(node.response?.serviceAccountTokenCacheType).toBe('ServiceAccount');
    expect(w.ecr.requests.at(-1)?.verification?.accessKeyId).toBe(w.node.accessKeyId);
    expect(webIdentityCalls(w)).toHaveLength(0);
  });

  it('reads the annotation key it is configured with', async () => {
    const reconfigured = await w.configure([], {
      ECR_TS_KUBELET_ROLE_ANNOTATION: 'example.com/registry-role',
    });
    expect(reconfigured.code).toBe(0);
    const pull = await w.kubelet().pull(`${ECR}/app`, {
      serviceAccountToken: serviceAccountToken('team-b', 'app'),
      annotations: { 'example.com/registry-role': ROLE_B, [ANNOTATION]: ROLE_A },
    });
    expect(pull.credentials).toHaveLength(1);
    expect(webIdentityCalls(w).map((call) => call['RoleArn'])).toEqual([ROLE_B]);
  });
});
