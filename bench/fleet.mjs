// `node bench/fleet.mjs [--rounds N] [--machines N]` (after `npm run build`): a fleet of helpers
// starting at once against a throttling fake ECR. Runs bench/fleet.ts (bench/bundle-bench.mjs).
// Prints numbers; asserts nothing.
import { bundleBench } from './bundle-bench.mjs';

(await bundleBench('fleet'))();
