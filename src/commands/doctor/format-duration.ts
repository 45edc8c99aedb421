/** Durations as people read them in `doctor`'s output. */

/** `3 h 12 min`, `4 min`, `12 s`, `850 ms`; negative durations read as `0 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return ms <= 0 ? '0 s' : `${Math.round(ms)} ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
