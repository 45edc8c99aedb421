// The smallest program that does a cache hit's work, compiled like the executable (bench/run.mjs):
// read the server URL from stdin, read one small JSON file (ECR_TS_PROBE_FILE, the cache entry the
// helper wrote), write the answer. What a warm `get` cannot go below on this runtime.
import { readFileSync, writeSync } from 'node:fs';

const serverUrl = readFileSync(0, 'utf8').trim();
const entry = JSON.parse(readFileSync(process.env['ECR_TS_PROBE_FILE'] ?? '', 'utf8')) as {
  username: string;
  password: string;
};
writeSync(
  1,
  `${JSON.stringify({ ServerURL: serverUrl, Username: entry.username, Secret: entry.password })}\n`,
);
