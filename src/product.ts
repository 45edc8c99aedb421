/** The product's name and version: the executable, the cache folder, the user agent, `version`. */

/** The product's name. */
export const PRODUCT = 'docker-credential-ecr-ts';
/** The product version, kept in step with package.json by a unit test. */
export const VERSION = '0.1.0';
/** The single `version` line (`version`, `-v`, `--version`): name, source, version. */
export const VERSION_LINE = `${PRODUCT} (npm:${PRODUCT}) ${VERSION}`;
