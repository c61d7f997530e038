// Bounds shared by validation (which refuses values beyond them) and the controller (which relies on them).

/**
 * The longest delay a timer can be given: Node's setTimeout fires at once for anything above 2^31−1 ms (≈ 24.8 days),
 * so every duration that becomes a timer is refused above it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The most retries a webhook may ask for; with its timeout they bound how long one call can take. */
export const MAX_WEBHOOK_RETRIES = 10;
