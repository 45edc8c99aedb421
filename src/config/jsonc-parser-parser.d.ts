/** Types for jsonc-parser's parser module, imported alone (src/config/docker-config.ts). */
declare module 'jsonc-parser/lib/esm/impl/parser.js' {
  export { parseTree } from 'jsonc-parser';
}
