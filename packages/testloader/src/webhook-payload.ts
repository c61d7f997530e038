import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

/** Flagger's CanaryWebhookPayload, as the controller POSTs it to a webhook. */
export interface WebhookPayload {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string;
  readonly checksum: string;
  /** The webhook's metadata; undefined when absent or null. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

/**
 * Decodes a payload. Flagger's Canary schema makes metadata a map of strings; for callers that post JSON directly,
 * numbers and booleans are turned into their text and objects into JSON text (e.g. `headers` of a load task).
 */
export function parseWebhookPayload(body: string): ParseResult<WebhookPayload> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(body);
  } catch (error) {
    return parseFailure(`the payload is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    return parseFailure('the payload must be a JSON object');
  }
  const fields = decoded as Record<string, unknown>;
  const text: Record<string, string> = {};
  for (const field of ['name', 'namespace', 'phase', 'checksum'] as const) {
    const value = fields[field];
    if (value === undefined || value === null) text[field] = '';
    else if (typeof value === 'string') text[field] = value;
    else return parseFailure(`the payload field ${field} must be a string`);
  }

  let metadata: Record<string, string> | undefined;
  const rawMetadata = fields['metadata'];
  if (rawMetadata !== undefined && rawMetadata !== null) {
    if (typeof rawMetadata !== 'object' || Array.isArray(rawMetadata)) {
      return parseFailure('the payload field metadata must be an object of strings');
    }
    metadata = {};
    for (const [key, value] of Object.entries(rawMetadata)) {
      if (typeof value === 'string') metadata[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') metadata[key] = String(value);
      else if (value === null) metadata[key] = '';
      else metadata[key] = JSON.stringify(value);
    }
  }
  return parsed({
    name: text['name'] ?? '',
    namespace: text['namespace'] ?? '',
    phase: text['phase'] ?? '',
    checksum: text['checksum'] ?? '',
    metadata,
  });
}
