/**
 * Which `registries` entry answers for a host (docs/universal-mode.md): an exact key first, then the pattern with
 * the most literal characters, then the earlier key. Pure.
 */
import type { HostPort } from '../registry/parse-registry';
import { isExactMatch, patternMatches } from './host-pattern';
import type { RouteEntry } from './route-table';

/** The entry for the host, or undefined when none matches. */
export function matchRoute(
  target: HostPort,
  entries: readonly RouteEntry[],
): RouteEntry | undefined {
  let best: RouteEntry | undefined;
  let bestRank = -1;
  for (const entry of entries) {
    if (!patternMatches(entry.pattern, target)) continue;
    // Exact keys outrank any count of literal characters; ties keep the earlier entry.
    const rank = isExactMatch(entry.pattern, target)
      ? Number.MAX_SAFE_INTEGER
      : entry.pattern.literalChars;
    if (rank > bestRank) {
      best = entry;
      bestRank = rank;
    }
  }
  return best;
}
