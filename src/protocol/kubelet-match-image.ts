/**
 * Whether a kubelet `matchImages` entry (or an answer's auth key) covers an image, the way the
 * kubelet decides it (docs/kubelet.md): the same number of host labels, each matched by a
 * shell-style glob (`*` stays inside one label and may match nothing), an equal port (none
 * matches only none), and the pattern's path a prefix of the image's. Pure; `doctor --kubelet`
 * and `configure --kubelet` use it, the tests check it against their own kubelet emulation.
 */

/** True when `pattern` covers `image`; a malformed pattern covers nothing. */
export function matchImageCovers(pattern: string, image: string): boolean {
  const glob = splitImage(pattern);
  const target = splitImage(image);
  if (glob.port !== target.port || glob.labels.length !== target.labels.length) return false;
  if (!target.path.startsWith(glob.path)) return false;
  return glob.labels.every((label, index) => globMatches(label, target.labels[index] ?? ''));
}

interface ImageParts {
  readonly labels: readonly string[];
  readonly port: string;
  readonly path: string;
}

/** `host[:port][/path]` as Go's url.Parse("https://" + text) and net.SplitHostPort split it. */
function splitImage(text: string): ImageParts {
  const end = text.search(/[/?#]/);
  const authority = end === -1 ? text : text.slice(0, end);
  const rest = end === -1 ? '' : text.slice(end);
  const path = rest.startsWith('/') ? (rest.split(/[?#]/)[0] ?? '') : '';
  const at = authority.lastIndexOf('@');
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const colon = hostPort.lastIndexOf(':');
  const hasPort = colon !== -1 && !hostPort.slice(0, colon).includes(':');
  const host = hasPort ? hostPort.slice(0, colon) : hostPort;
  return { labels: host.split('.'), port: hasPort ? hostPort.slice(colon + 1) : '', path };
}

/** One label against a shell glob (`*`, `?`, `[a-z]`, `[^x]`, `\` escapes), as path.Match does. */
function globMatches(pattern: string, text: string): boolean {
  const source = globToRegExp(pattern);
  return source !== undefined && new RegExp(`^${source}$`).test(text);
}

function globToRegExp(pattern: string): string | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '\\') {
      i += 1;
      if (i >= pattern.length) return undefined;
      out += escapeChar(pattern[i] ?? '');
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) return undefined;
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      if (body === '') return undefined;
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = close;
    } else out += escapeChar(char);
  }
  return out;
}

function escapeChar(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`);
}
