/** The region the AWS config gives Secrets Manager calls, resolved as the SDK resolves it. */

/** AWS_REGION, else `region` of the profile (else AWS_PROFILE, else `default`); undefined if none. */
export async function resolveRegion(options: {
  readonly profile?: string;
}): Promise<string | undefined> {
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  // The client's own region provider: env, then the shared config files of the profile.
  const client = new SecretsManagerClient(options.profile ? { profile: options.profile } : {});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
