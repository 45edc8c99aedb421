/** `doctor`'s report as text for a terminal, or as JSON (`--json`). Pure. */
import type { DoctorReport } from './check';

const MARK = { true: 'ok', false: 'FAILED', null: 'skipped' } as const;

/**
 * One line per check, marked ok, FAILED or skipped; a hint under each failure; a summary. The
 * title names the command (`doctor`, `doctor --kubelet`) and what it was asked about.
 */
export function renderText(report: DoctorReport, subject: string, command = 'doctor'): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = [`docker-credential-ecr-ts ${command}${subject ? `: ${subject}` : ''}`];
  for (const check of report.checks) {
    const mark = MARK[String(check.ok) as keyof typeof MARK].padEnd(7);
    lines.push(`${mark} ${check.name.padEnd(width)}  ${check.detail}`);
    if (check.hint && check.ok !== true) lines.push(`${' '.repeat(width + 10)}hint: ${check.hint}`);
  }
  const broken = report.checks.filter((check) => check.ok === false).map((check) => check.name);
  lines.push(
    broken.length === 0
      ? 'nothing failed'
      : `${broken.length} check${broken.length === 1 ? '' : 's'} failed: ${broken.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** `{"ok": bool, "checks": [{"name", "ok", "detail", "hint"?}]}`, names in check order. */
export function renderJson(report: DoctorReport): string {
  const checks = report.checks.map(({ name, ok, detail, hint }) => ({
    name,
    ok,
    detail,
    ...(hint ? { hint } : {}),
  }));
  return `${JSON.stringify({ ok: report.ok, checks }, null, 2)}\n`;
}
