/**
 * `provider-file` (doctor --kubelet): the kubelet runs `<bin dir>/<name>`, and refuses to start
 * with a provider it cannot find; it must be this program (a link to it, docs/kubelet.md). Pure:
 * the paths come in resolved.
 */
import { PRODUCT } from '../../product';
import { failed, passed, type Finding } from './check';

/** Judges the provider's file: `real` is where `path` leads (undefined: nowhere). */
export function checkProviderFile(input: {
  readonly path: string;
  readonly real: string | undefined;
  /** Where this program's own file leads, when known. */
  readonly self: string | undefined;
}): Finding {
  const { path, real, self } = input;
  if (real === undefined) {
    return failed(
      `${path} does not exist: the kubelet refuses to start with a provider it cannot find`,
      `Run ${PRODUCT} configure --kubelet (it links the provider there), or name the kubelet's folder with --bin-dir`,
    );
  }
  if (self !== undefined && real !== self) {
    return failed(
      `${path} -> ${real}, which is not this program (${self})`,
      'Another program has the name: link it to this one again (configure --kubelet), or check which version the kubelet runs',
    );
  }
  return passed(real === path ? path : `${path} -> ${real}`);
}
