/**
 * `image`: that the image's manifest can be read with the token. This is the second place ECR
 * checks permissions (`ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`): 403 DENIED names the
 * missing pull permission; 404 tells a missing repository (NAME_UNKNOWN) from a missing tag or
 * digest (MANIFEST_UNKNOWN) as ECR reports them (a plain distribution registry says
 * MANIFEST_UNKNOWN for both).
 */
import { failed, passed, type Finding } from './check';
import { unreachable } from './check-registry';
import { describeAnswer, type RegistryGet } from './registry-client';
import type { EcrRegistry } from '../../registry/parse-registry';

/** Every manifest type docker accepts (OCI and Docker, single image and multi-platform). */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Reads the manifest of `repository` at `reference` (a tag or a digest). */
export async function checkImage(options: {
  readonly authority: string;
  readonly repository: string;
  readonly reference: string;
  readonly get: RegistryGet;
  /** The ECR registry behind the host, for hints (none: a secretsManager route's registry). */
  readonly registry?: EcrRegistry;
  /** The caller's ARN, when caller-identity found it. */
  readonly principal?: string;
}): Promise<Finding> {
  const { repository, reference } = options;
  const image = `${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
  const path = `/v2/${repository}/manifests/${reference}`;
  let answer;
  try {
    answer = await options.get(path, {
      accept: MANIFEST_TYPES,
      scope: `repository:${repository}:pull`,
    });
  } catch (error) {
    return unreachable(`https://${options.authority}${path}`, error);
  }
  const codes = answer.errors.map((error) => error.code);
  if (answer.status === 200) {
    const type = answer.contentType ?? 'unknown type';
    return passed(`${image}: manifest ${answer.digest ?? '(no digest header)'} (${type})`);
  }
  const ecr = options.registry;
  if (answer.status === 403 || codes.includes('DENIED')) {
    const who = options.principal ?? 'the caller';
    return failed(
      `${image}: reading the manifest was denied: ${describeAnswer(answer)}`,
      ecr
        ? `Grant ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on repository ${repository} to ${who} (its IAM policy, or the repository policy for another account). This is the second place ECR checks permissions: the token works, the pull does not.`
        : `The login works, but may not pull ${repository}: give its user read access to the repository at the registry.`,
    );
  }
  if (answer.status === 404 && codes.includes('NAME_UNKNOWN')) {
    return failed(
      `${image}: repository ${repository} does not exist in ${options.authority}: ${describeAnswer(answer)}`,
      ecr
        ? 'Check the repository name and the registry (account and region); create it with aws ecr create-repository.'
        : 'Check the repository name and the registry.',
    );
  }
  if (answer.status === 404 && codes.includes('MANIFEST_UNKNOWN') && !ecr) {
    return failed(
      `${image}: no image ${reference} in repository ${repository}: ${describeAnswer(answer)}`,
      'Check the tag or digest, and the repository name (some registries say MANIFEST_UNKNOWN for a missing repository too).',
    );
  }
  if (answer.status === 404 && codes.includes('MANIFEST_UNKNOWN')) {
    const region = ecr?.kind === 'private' ? ` --region ${ecr.region}` : '';
    // ECR says NAME_UNKNOWN for a missing repository; a plain distribution registry does not.
    return failed(
      `${image}: no image ${reference} in repository ${repository}: ${describeAnswer(answer)}`,
      `ECR reports a missing repository as NAME_UNKNOWN, so the tag or digest is what is missing; list them with aws ecr list-images --repository-name ${repository}${region}.`,
    );
  }
  if (answer.status === 401) {
    return failed(
      `${image}: the registry refused the token: ${describeAnswer(answer)}`,
      'See the registry check.',
    );
  }
  return failed(`${image}: ${describeAnswer(answer)}`);
}
