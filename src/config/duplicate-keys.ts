/**
 * Duplicate keys in JSON text, which JSON.parse accepts silently (the last one wins): in the
 * config file, an entry a person reads as the one in force would not count. Hand-written, not
 * jsonc-parser (which `configure` uses for docker's file): this runs in the hot-path bundle,
 * whose every byte a cache hit parses, and it only has to walk text JSON.parse already accepted.
 */

/**
 * An object's keys so far and the key of the value being read, or an array's position. Where a
 * frame is follows from the frames below it, worked out only for a duplicate: a path string per
 * frame would cost quadratic memory on deeply nested text.
 */
type Frame =
  | { kind: 'object'; keys: Set<string>; expectKey: boolean; key: string }
  | { kind: 'array'; index: number };

/**
 * Where the first key that appears twice in one object is, as the config file's errors name
 * places (`fallback`, `registries["a.example"]`, `registries["a.example"].helper`); undefined
 * when there is none. `text` must be valid JSON.
 */
export function firstDuplicateKey(text: string): string | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === '"') {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.expectKey) {
        const raw = text.slice(i, end + 1);
        // Escapes spell a key another way (`"regi\u0073tries"`): compare what JSON reads.
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(key)) return childPath(pathOf(stack.slice(0, -1)), key);
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      stack.push(
        char === '{'
          ? { kind: 'object', keys: new Set(), expectKey: true, key: '' }
          : { kind: 'array', index: 0 },
      );
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',' && top !== undefined) {
      if (top.kind === 'object') top.expectKey = true;
      else top.index += 1;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

/** Where the value now read inside the last of `frames` is (the first is the whole text). */
function pathOf(frames: readonly Frame[]): string {
  let path = '';
  for (const frame of frames) {
    path = frame.kind === 'object' ? childPath(path, frame.key) : `${path}[${frame.index}]`;
  }
  return path;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `fallback`, `registries["a.example"]`, `registries["a.example"].helper`. */
function childPath(parent: string, key: string): string {
  // Registry keys are host names: always quoted, as parse-config-file.ts names them.
  if (parent === 'registries' || !IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
