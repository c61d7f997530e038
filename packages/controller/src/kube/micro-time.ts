/**
 * Kubernetes MicroTime (RFC 3339 with exactly six fractional digits), as required by Event.eventTime and
 * Lease.spec.renewTime. JavaScript dates have millisecond precision, so the last three digits are zero.
 */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
