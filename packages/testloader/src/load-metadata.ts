import { parseGoDuration } from './go-duration.ts';
import { parseGoFloat, parseGoInt } from './go-flag-parser.ts';
import { checkLoadSpec, setHeader, type LoadSpec } from './load-spec.ts';
import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

/**
 * The structured load form, `metadata.type: load`, for webhooks that would rather not write a hey command line:
 *
 *   url          required  target URL (http or https)
 *   rate         required  total requests per second over all connections (> 0)
 *   duration     required  Go duration ("1m", "90s") or a number of seconds
 *   concurrency  optional  connections; default one per 20 req/s, between 1 and 250
 *   method       optional  default GET
 *   headers      optional  JSON object of header name → value, e.g. '{"Cookie":"canary=always"}'
 *   body         optional  request body
 *   requestTimeout optional per-request timeout, Go duration, default 20s
 *
 * Flagger's Canary schema makes every metadata value a string, so numbers arrive as strings ("100") — both are fine.
 */
export const LOAD_METADATA_FIELDS = [
  'url',
  'rate',
  'duration',
  'concurrency',
  'method',
  'headers',
  'body',
  'requestTimeout',
] as const;

/** Metadata keys that are about the task, not the load (see task-plan.ts). */
const TASK_KEYS = new Set(['type', 'logCmdOutput', 'timeout', 'returnCmdOutput', 'cmd']);

export function defaultConcurrencyForRate(ratePerSecond: number): number {
  return Math.min(250, Math.max(1, Math.ceil(ratePerSecond / 20)));
}

export function parseLoadMetadata(metadata: Readonly<Record<string, string>>): ParseResult<LoadSpec> {
  const fail = (message: string): ParseResult<LoadSpec> => parseFailure(`invalid load task: ${message}`);
  const known = new Set<string>(LOAD_METADATA_FIELDS);
  const unknown = Object.keys(metadata).filter((key) => !known.has(key) && !TASK_KEYS.has(key));
  if (unknown.length > 0) return fail(`unknown field ${JSON.stringify(unknown[0])}`);

  const url = metadata['url'];
  if (!url) return fail('url is required');

  const rateText = metadata['rate'];
  if (rateText === undefined) return fail('rate (total requests per second) is required');
  const rate = parseGoFloat(rateText.trim());
  if (rate === undefined || rate <= 0) return fail(`rate must be a positive number (got ${JSON.stringify(rateText)})`);

  const durationText = metadata['duration'];
  if (durationText === undefined) return fail('duration is required (e.g. "1m")');
  const seconds = parseGoFloat(durationText.trim());
  const duration = seconds !== undefined ? { ok: true as const, value: seconds * 1000 } : parseGoDuration(durationText);
  if (!duration.ok) return fail(`duration: ${duration.error}`);
  if (duration.value <= 0) return fail(`duration must be positive (got ${JSON.stringify(durationText)})`);

  let concurrency = defaultConcurrencyForRate(rate);
  const concurrencyText = metadata['concurrency'];
  if (concurrencyText !== undefined) {
    const value = parseGoInt(concurrencyText.trim());
    if (value === undefined || value < 1) {
      return fail(`concurrency must be a whole number of at least 1 (got ${JSON.stringify(concurrencyText)})`);
    }
    concurrency = value;
  }

  const headers: Record<string, string> = {};
  const headersText = metadata['headers'];
  if (headersText !== undefined && headersText.trim() !== '') {
    let decoded: unknown;
    try {
      decoded = JSON.parse(headersText);
    } catch {
      return fail('headers must be a JSON object of header name to value');
    }
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
      return fail('headers must be a JSON object of header name to value');
    }
    for (const [name, value] of Object.entries(decoded)) {
      if (typeof value !== 'string') return fail(`header ${JSON.stringify(name)} must have a string value`);
      setHeader(headers, name, value);
    }
  }

  let requestTimeoutMs = 20_000;
  const requestTimeoutText = metadata['requestTimeout'];
  if (requestTimeoutText !== undefined) {
    const value = parseGoDuration(requestTimeoutText);
    if (!value.ok) return fail(`requestTimeout: ${value.error}`);
    requestTimeoutMs = value.value;
  }

  const checked = checkLoadSpec({
    url,
    method: (metadata['method'] ?? 'GET').toUpperCase(),
    headers,
    body: metadata['body'],
    bodyFile: undefined,
    concurrency,
    ratePerSecond: rate,
    durationMs: duration.value,
    requestCount: undefined,
    requestTimeoutMs,
    keepAlive: true,
  });
  return checked.ok ? parsed(checked.value) : fail(checked.error);
}
