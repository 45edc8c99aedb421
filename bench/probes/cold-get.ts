// The smallest program that does a cold `get`'s work the way the helper must (with
// @aws-sdk/client-ecr and the SDK's default credential chain), compiled like the executable
// (bench/run.mjs): read the server URL, one GetAuthorizationToken, write the answer.
import { readFileSync, writeSync } from 'node:fs';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- a probe of the SDK itself, not the product
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

const serverUrl = readFileSync(0, 'utf8').trim();
const region = /\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(serverUrl)?.[1] ?? 'us-east-1';
const answer = await new ECRClient({ region }).send(new GetAuthorizationTokenCommand({}));
const token = answer.authorizationData?.[0]?.authorizationToken ?? '';
const [username, password] = atob(token).split(':');
writeSync(1, `${JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: password })}\n`);
process.exit(0);
