// `node bench/fleet-simulation.mjs [--runs N]`: runs bench/fleet-simulation.ts
// (bench/bundle-bench.mjs). Prints numbers; asserts nothing.
import { bundleBench } from './bundle-bench.mjs';

(await bundleBench('fleet-simulation'))();
