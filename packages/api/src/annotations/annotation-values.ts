import { formatDuration, tryParseDuration } from '../duration.ts';
import { MAX_TIMER_MS } from '../limits.ts';
import { servicePortNameProblem } from '../validation/kubernetes-names.ts';
import { MAX_TIMER_REASON } from '../validation/value-rules.ts';

// Parsers for the text of one annotation. Each returns the value, or a message saying what the text must be;
// the message ends with the text received so that an event on the workload is enough to fix it.

export type ParsedValue<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): ParsedValue<T> => ({ ok: true, value });
const invalid = (expectation: string, text: string): ParsedValue<never> => ({
  ok: false,
  message: `${expectation} (got ${JSON.stringify(text)})`,
});

const INTEGER = /^[+]?[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

export function parseIntegerBetween(text: string, min: number, max: number): ParsedValue<number> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!INTEGER.test(trimmed) || value < min || value > max) {
    return invalid(`must be an integer between ${min} and ${max}`, text);
  }
  return ok(value);
}

export function parseNumberBetween(text: string, min: number, max: number): ParsedValue<number> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!DECIMAL.test(trimmed) || value < min || value > max) {
    return invalid(`must be a number between ${min} and ${max}`, text);
  }
  return ok(value);
}

/** A Go duration the CRD also accepts (it starts with digits and a unit of s or m, e.g. 30s, 1m, 1m30s, 2h). */
export function parseDuration(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  const ms = tryParseDuration(trimmed);
  if (ms === undefined || ms <= 0 || !/^[0-9]+/.test(trimmed)) {
    return invalid('must be a positive duration such as 30s, 1m or 1m30s', text);
  }
  if (ms > MAX_TIMER_MS) {
    return invalid(`must be at most ${formatDuration(MAX_TIMER_MS)} (${MAX_TIMER_REASON})`, text);
  }
  // The CRD's pattern ^[0-9]+(m|s) rejects e.g. "2h" and "1.5m"; say so here rather than fail at validation.
  if (!/^[0-9]+(m|s)/.test(trimmed)) return invalid('must be written in seconds or minutes, e.g. 90s or 1m30s', text);
  return ok(trimmed);
}

/** A comma-separated list of non-empty items; blanks around items are ignored. */
export function parseList(text: string): ParsedValue<string[]> {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) return invalid('must be a comma-separated list with no empty items', text);
  return ok(items);
}

/** Strictly increasing weights, e.g. "1,5,10,50"; only the last may exceed 100 (it then counts as 100). */
export function parseStepWeights(text: string): ParsedValue<number[]> {
  const expectation = 'must be increasing integers from 1 to 100 separated by commas, e.g. "1,5,10,50"';
  const items = text.split(',').map((item) => item.trim());
  const weights: number[] = [];
  for (const item of items) {
    const weight = Number(item);
    const previous = weights.at(-1);
    if (!INTEGER.test(item) || weight < 1 || weight > 100 || (previous !== undefined && weight <= previous)) {
      return invalid(expectation, text);
    }
    weights.push(weight);
  }
  return ok(weights);
}

/** An absolute http(s) URL. */
export function parseHttpUrl(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  try {
    const url = new URL(trimmed);
    if (url.protocol === 'http:' || url.protocol === 'https:') return ok(trimmed);
  } catch {
    // Not a URL at all: reported below like a URL with another scheme.
  }
  return invalid('must be an absolute http:// or https:// URL', text);
}

// Kubernetes' IANA_SVC_NAME, what a named container port may be called.
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** A port number or a container port name. */
export function parsePortNumberOrName(text: string): ParsedValue<number | string> {
  const trimmed = text.trim();
  if (INTEGER.test(trimmed)) return parseIntegerBetween(trimmed, 1, 65535);
  if (PORT_NAME.test(trimmed) && !trimmed.includes('--')) return ok(trimmed);
  return invalid('must be a port number (1-65535) or a container port name', text);
}

/** A non-empty string. */
export function parseNonEmpty(text: string): ParsedValue<string> {
  const trimmed = text.trim();
  return trimmed ? ok(trimmed) : invalid('must not be empty', text);
}

/** A Service port name Kubernetes accepts (an RFC 1123 label), e.g. http or grpc. */
export function parseServicePortName(text: string): ParsedValue<string> {
  const problem = servicePortNameProblem(text.trim());
  return problem === undefined ? ok(text.trim()) : { ok: false, message: problem };
}
