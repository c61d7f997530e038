/** kubectl's short age: 45s, 12m, 3h, 5d (from an RFC3339 time; "<unknown>" when there is none). */
export function formatAge(time: string | undefined | null, now: Date): string {
  if (!time) return '<unknown>';
  const then = Date.parse(time);
  if (Number.isNaN(then)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now.getTime() - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** A run's elapsed time to the second, as a rollout is followed: 45s, 3m20s, 1h02m. */
export function formatElapsed(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
