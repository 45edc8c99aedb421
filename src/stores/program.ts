/**
 * The seam between a delegating store and the process it runs, after docker-credential-helpers'
 * client/command.go: the store speaks the protocol, a Program runs it. Tests pass a fake keyed on
 * the action and stdin; exec-program.ts runs the real `docker-credential-<name>`.
 */

/** How one run of a helper ended. */
export type ProgramOutcome =
  /** It exited: its status and what it printed on stdout (at most the output cap). */
  (
    | { readonly kind: 'exited'; readonly status: number; readonly stdout: string }
    /** A signal ended it (a crash, or the OOM killer). */
    | { readonly kind: 'killed'; readonly signal: string }
    /** It could not be started: not on PATH, not executable. */
    | { readonly kind: 'missing'; readonly reason: string }
    /** It did not finish within the call's bound, and was stopped. */
    | { readonly kind: 'timeout'; readonly seconds: number }
    /** The call's bound was (nearly) used up before it could start: it was not run. */
    | { readonly kind: 'no-time' }
    /** It printed more than the output cap, and was stopped. */
    | { readonly kind: 'too-large'; readonly limitBytes: number }
  ) & {
    /**
     * The start of what it printed on stderr, for the debug log only, and only once the secret its
     * answer holds is known to the log's masking (helper-store.ts).
     */
    readonly stderr?: string;
  };

/** Runs one protocol action (`get`, `store`, `erase`, `list`) with `input` on stdin. */
export type Program = (action: string, input: string) => Promise<ProgramOutcome>;
