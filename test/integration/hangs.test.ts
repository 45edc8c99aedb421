/**
 * Every hang ends with a reason within the bound: a hung ECR API, credential endpoint or STS, with
 * a small ECR_TS_TIMEOUT for speed and once with the 10 s default. (Split from failures.test.ts so
 * jest's two workers run the waiting in parallel.)
 */
import { scrubProcessEnv } from '../support/env';
import { useTempDirs } from '../support/temp-dirs';
import { BOUND_S, expectFailure, useFailureWorld } from './failure-world';

scrubProcessEnv();
const tempDir = useTempDirs();
const setup = useFailureWorld(tempDir);

describe('bounded: hangs end with the reason', () => {
  it('a hung ECR API ends within the bound, naming the endpoint', async () => {
    const w = setup();
    w.ecr.defaultFault = 'hang';
    const line = expectFailure(await w.run({ ECR_TS_TIMEOUT: String(BOUND_S) }), w);
    expect(line).toMatch(/timed out/);
    expect(line).toContain(w.ecr.url);
    expect(line).toContain('ECR_TS_TIMEOUT');
  });

  it('a hung credential endpoint ends within the bound, naming that endpoint', async () => {
    const w = setup();
    w.creds.defaultFault = 'hang';
    const line = expectFailure(await w.run({ ECR_TS_TIMEOUT: String(BOUND_S) }), w);
    expect(line).toBe(
      `timed out after ${BOUND_S} s while waiting for AWS credentials from container credentials endpoint ${w.creds.url} (AWS_CONTAINER_CREDENTIALS_FULL_URI). Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).`,
    );
    expect(w.ecr.requests).toHaveLength(0);
  });

  it('the default bound (no ECR_TS_TIMEOUT) ends a hung ECR API', async () => {
    const w = setup();
    w.ecr.defaultFault = 'hang';
    const line = expectFailure(await w.run(), w);
    expect(line).toMatch(/timed out/);
    expect(line).toContain(w.ecr.url);
  });
});
