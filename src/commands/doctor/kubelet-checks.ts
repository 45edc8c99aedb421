/**
 * `doctor --kubelet`'s checks as data (docs/doctor.md, docs/kubelet.md): what the kubelet would get
 * for an image, in the kubelet's order: whether its provider config runs us for the image, whether
 * the provider file is this program, which route answers, and then the request path itself
 * (`get-credentials`, through the token cache as the kubelet's own call goes). The check-*.ts
 * files judge; effects come from the DoctorEffects seam; run-doctor.ts runs them.
 */
import { join } from 'node:path';
import { KUBELET_API_VERSIONS, registryOfKubeletImage } from '../../protocol/kubelet-request';
import type { KubeletApiVersion } from '../../protocol/kubelet-request';
import { quote } from '../../quote';
import { passed, type ChainCheck, type Finding } from './check';
import { checkProviderConfig } from './check-provider-config';
import { checkProviderFile } from './check-provider-file';
import { checkResponse, responseFailed } from './check-response';
import { checkRoute, type RouteResolution } from './check-route';
import { readForCheck, type DoctorEffects } from './doctor-effects';

/** What every check of one `doctor --kubelet` run may use. */
export interface KubeletRun {
  /** The image as the kubelet sends it (`host[:port]/path`). */
  readonly image: string;
  /** The kubelet's CredentialProviderConfig file. */
  readonly configFile: string;
  /** The kubelet's provider folder, and this provider's name in it. */
  readonly binDir: string;
  readonly name: string;
  /** The file this program runs from, when known. */
  readonly program: string | undefined;
  readonly effects: DoctorEffects;
  /** Masks `value` wherever it shows in the report. */
  secret(value: string): void;
}

/** What the checks so far established. */
export interface KubeletFound {
  /** The apiVersion the kubelet sends this provider (its entry's). */
  readonly apiVersion?: KubeletApiVersion;
}

/** The checks, in the order they run and print. */
export const KUBELET_CHECKS: readonly ChainCheck<KubeletRun, KubeletFound>[] = [
  {
    name: 'provider-config',
    prepare: (run) => async () => {
      const file = run.configFile;
      const { finding, value } = checkProviderConfig({
        file,
        name: run.name,
        image: run.image,
        ...(await readForCheck(run.effects, file)),
      });
      return { finding, value: value ? { apiVersion: value } : {} };
    },
  },
  {
    name: 'provider-file',
    prepare: (run) => async () => {
      const path = join(run.binDir, run.name);
      const resolve = (file: string) =>
        run.effects.realPath(file).catch((): undefined => undefined);
      const real = await resolve(path);
      const self = run.program === undefined ? undefined : await resolve(run.program);
      return { finding: checkProviderFile({ path, real, self }) };
    },
  },
  {
    name: 'route',
    prepare: (run) => async () => {
      const registry = registryOfKubeletImage(run.image);
      return { finding: routeFinding(registry, run.effects.kubeletRoute(registry)) };
    },
  },
  {
    name: 'response',
    // Run even when the kubelet would not ask: what the provider answers is still worth knowing.
    prepare: (run, found) => async (context) => {
      const request = JSON.stringify({
        apiVersion: found.apiVersion ?? KUBELET_API_VERSIONS[0],
        kind: 'CredentialProviderRequest',
        image: run.image,
      });
      let text: string;
      try {
        text = await run.effects.askProvider(request, context);
      } catch (error) {
        return { finding: responseFailed(error) };
      }
      const { finding, password } = checkResponse(text);
      if (password) run.secret(password);
      return { finding };
    },
  },
];

/** A registry with no route is an answer on a node (empty auth), not a failure as for docker. */
function routeFinding(registry: string, resolution: RouteResolution): Finding {
  const { route, source } = resolution;
  if (route.kind === 'store' && route.store.kind === 'none') {
    return passed(
      `${quote(registry)} has no route in ${source}: the answer is empty (anonymous pull)`,
    );
  }
  return checkRoute(registry, resolution).finding;
}
