/**
 * What `--help`, `-h` and `help` print when stdout is not a terminal: the help commander makes of
 * cli.ts at its default width, kept as text so that main.ts answers them without loading commander
 * and the command line (measured: several milliseconds, for scripts that check an install;
 * docs/benchmarks.md). At a terminal, commander wraps it to the terminal's width instead.
 * test/unit/help-text.test.ts fails when cli.ts's help and this text differ.
 */
export const HELP_TEXT = `Usage: docker-credential-ecr-ts <get|store|erase|list|version|get-credentials|configure|doctor|help>

Docker credential helper for Amazon ECR and ECR Public

Options:
  -v, --version                        print the version and exit
  -h, --help                           show this help

Commands:
  get                                  read a server URL on stdin, print its
                                       credentials as JSON
  store                                read credentials JSON on stdin (ECR:
                                       accepted, nothing persisted)
  erase                                read a server URL on stdin and forget it
                                       (ECR: nothing to forget)
  list                                 print the registries this helper answers
                                       for: configured ones and live cached
                                       tokens (stdin is not read)
  version                              print the version
  get-credentials                      kubelet image credential provider: read a
                                       CredentialProviderRequest on stdin, print
                                       the response
  configure [options] [registries...]  write this helper into the docker config
                                       (DOCKER_CONFIG or ~/.docker)
  doctor [options] [target]            walk the chain from the docker config to
                                       the image and say where it breaks
  help [command]                       show this help, or the help of a command
`;
