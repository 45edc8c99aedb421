/**
 * One readable, secret-free text for what the SDK hands its logger. Its per-command record
 * (`{clientName, commandName, input, output, metadata}`, or `error` instead of `output`) printed
 * as `[object Object]`; printing it whole would put the token (`output`) in the log.
 */

interface CommandRecord {
  readonly clientName?: unknown;
  readonly commandName?: unknown;
  readonly error?: unknown;
  readonly metadata?: {
    readonly httpStatusCode?: unknown;
    readonly requestId?: unknown;
    readonly attempts?: unknown;
    readonly totalRetryDelay?: unknown;
  };
}

/** Text for one argument of an SDK log call. */
export function describeSdkLogPart(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  if (typeof part !== 'object' || part === null) return String(part);
  const record = part as CommandRecord;
  if (typeof record.clientName === 'string' && typeof record.commandName === 'string') {
    return describeCommand(record);
  }
  // Anything else: its shape only, never its values (they may be credentials).
  const keys = Object.keys(part).slice(0, 10);
  return `{${keys.join(', ')}}`;
}

function describeCommand(record: CommandRecord): string {
  const meta = record.metadata ?? {};
  const facts = [
    typeof meta.httpStatusCode === 'number' ? `HTTP ${meta.httpStatusCode}` : undefined,
    typeof meta.requestId === 'string' ? `request id ${meta.requestId}` : undefined,
    typeof meta.attempts === 'number' ? `attempts ${meta.attempts}` : undefined,
    typeof meta.totalRetryDelay === 'number' ? `retry delay ${meta.totalRetryDelay} ms` : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  const error = record.error as { name?: unknown } | undefined;
  const outcome =
    record.error === undefined
      ? 'ok'
      : `failed with ${typeof error?.name === 'string' ? error.name : 'an error'}`;
  const detail = facts.length > 0 ? ` (${facts.join(', ')})` : '';
  return `${String(record.clientName)} ${String(record.commandName)}: ${outcome}${detail}`;
}
