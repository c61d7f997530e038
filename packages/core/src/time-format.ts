// Status timestamps: RFC3339 in UTC, whole seconds like metav1.Time unless the instant has milliseconds.

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable timestamp. */
export function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const epochMs = Date.parse(text);
  return Number.isNaN(epochMs) ? undefined : epochMs;
}
