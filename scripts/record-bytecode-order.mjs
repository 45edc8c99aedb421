// `npm run build:bytecode-order`: runs bench/record-bytecode-order.ts (it shares the tests'
// loopback fakes; bench/bundle-bench.mjs) against dist/docker-credential-ecr-ts.
import { bundleBench } from '../bench/bundle-bench.mjs';

(await bundleBench('record-bytecode-order'))();
