// `node bench/config-file.mjs [--quick]` (after `npm run build`): what reading a 100-entry config
// file costs a cache-hit `get`. Runs bench/config-file.ts (bench/bundle-bench.mjs). Prints
// numbers; asserts nothing.
import { bundleBench } from './bundle-bench.mjs';

(await bundleBench('config-file'))();
