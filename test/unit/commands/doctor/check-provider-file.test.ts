import { checkProviderFile } from '../../../../src/commands/doctor/check-provider-file';

const LINK = '/usr/local/lib/kubelet/credentialproviders/docker-credential-ecr-ts';
const SELF = '/usr/local/bin/docker-credential-ecr-ts';

describe('checkProviderFile()', () => {
  it('passes a link to this program, or this program itself', () => {
    expect(checkProviderFile({ path: LINK, real: SELF, self: SELF })).toEqual({
      ok: true,
      detail: `${LINK} -> ${SELF}`,
    });
    expect(checkProviderFile({ path: SELF, real: SELF, self: SELF })).toEqual({
      ok: true,
      detail: SELF,
    });
  });

  it('fails a missing file: the kubelet would not start', () => {
    expect(checkProviderFile({ path: LINK, real: undefined, self: SELF })).toMatchObject({
      ok: false,
      detail: `${LINK} does not exist: the kubelet refuses to start with a provider it cannot find`,
    });
  });

  it('fails a file that is another program, and passes one when this program is not known', () => {
    expect(checkProviderFile({ path: LINK, real: '/opt/old/x', self: SELF })).toMatchObject({
      ok: false,
      detail: `${LINK} -> /opt/old/x, which is not this program (${SELF})`,
    });
    expect(checkProviderFile({ path: LINK, real: '/opt/old/x', self: undefined }).ok).toBe(true);
  });
});
