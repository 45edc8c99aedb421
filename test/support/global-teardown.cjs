// Removes the folder global-setup.cjs made for this run (its HOME and PATH copies).
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const runDir = process.env['ECR_TS_TEST_RUN_DIR'];
  if (runDir) rmSync(runDir, { recursive: true, force: true });
};
