// Where `bun build --compile` starts (scripts/build-executable.mjs): the composition root, as the
// npm package's bin/docker-credential-ecr-ts starts it on Node.
import { main } from '../src/main';

void main();
