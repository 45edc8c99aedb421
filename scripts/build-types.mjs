// Emits the library's type declarations (dist/types) for the package's `types` and exports map.
// Run by `prepack`, not by every build: tsc takes seconds and only the published package needs it.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
