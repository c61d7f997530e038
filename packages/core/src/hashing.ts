// Change detection hashes (reference §3.4–3.5). Deterministic functions of their input; sha256 via node:crypto.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/**
 * Recursively sorts object keys and drops empty members (null, undefined, '', {}, [] — also objects that become
 * empty once their own empty members are dropped), so a field the API server or a newer client fills with its
 * zero value hashes like the field left out. Array elements keep their positions: their order is data.
 */
export function canonicalize(value: unknown): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.map((element) => canonicalize(element) ?? null);
  }
  if (typeof value === 'object') {
    const result: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const member = canonicalize((value as Record<string, unknown>)[key]);
      if (member !== undefined && !isEmpty(member)) result[key] = member;
    }
    return Object.keys(result).length === 0 ? undefined : result;
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** Canonical JSON text: sorted keys, empty members dropped; `null` for a value that is empty as a whole. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value) ?? null);
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Length of the short hashes in status (lastAppliedSpec, lastPromotedSpec): 64 bits of sha256, in hex. */
export const SHORT_HASH_LENGTH = 16;

/** The revision hash of a pod template (metadata + spec). Replicas are not part of a template, so never trigger. */
export function podTemplateHash(podTemplate: unknown): string {
  return sha256Hex(canonicalJson(podTemplate)).slice(0, SHORT_HASH_LENGTH);
}

/**
 * Flagger's ConfigMap/Secret checksum: hex of the first 8 bytes of sha256 over Go's JSON encoding of `.data`
 * (sorted keys, HTML-safe escapes). Byte-compatible with Flagger, so a migrated status.trackedConfigs matches.
 * Pass Secret data as the API returns it (base64 strings), which is how Go encodes []byte values.
 */
export function configChecksum(data: Readonly<Record<string, string>> | null | undefined): string {
  return sha256Hex(goJsonStringMap(data)).slice(0, 16);
}

/** encoding/json.Marshal of a map[string]string (or a nil map). */
export function goJsonStringMap(data: Readonly<Record<string, string>> | null | undefined): string {
  if (data === null || data === undefined) return 'null';
  const members = Object.keys(data)
    .sort(compareUtf8)
    .map((key) => `${goJsonString(key)}:${goJsonString(data[key] ?? '')}`);
  return `{${members.join(',')}}`;
}

// Go sorts map keys by their UTF-8 bytes; for strings without surrogate pairs that equals UTF-16 order.
function compareUtf8(a: string, b: string): number {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return Buffer.compare(left, right);
}

// Go escapes <, > and & (HTML safety) and U+2028/U+2029 on top of what JSON.stringify escapes.
const GO_EXTRA_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function goJsonString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (char) => GO_EXTRA_ESCAPES[char] ?? char);
}

/** True if the tracked ConfigMaps/Secrets differ from those recorded in status (count or any checksum). */
export function haveConfigsChanged(
  tracked: Readonly<Record<string, string>> | undefined,
  current: Readonly<Record<string, string>>,
): boolean {
  const before = tracked ?? {};
  const keys = Object.keys(current);
  if (Object.keys(before).length !== keys.length) return true;
  return keys.some((key) => before[key] !== current[key]);
}

/**
 * Flagger's HasTargetChanged: a Canary never synced counts as changed; a target put back to the spec running in
 * the primary (manual rollback) does not.
 */
export function hasTargetChanged(
  status: { readonly lastAppliedSpec?: string; readonly lastPromotedSpec?: string },
  targetHash: string,
): boolean {
  if (!status.lastAppliedSpec) return true;
  if (targetHash === status.lastPromotedSpec) return false;
  return targetHash !== status.lastAppliedSpec;
}

/** The `checksum` of webhook payloads: changes whenever the revision under test or its configs change. */
export function webhookChecksum(status: {
  readonly lastAppliedSpec?: string;
  readonly trackedConfigs?: Readonly<Record<string, string>>;
}): string {
  return sha256Hex(
    canonicalJson({ lastAppliedSpec: status.lastAppliedSpec, trackedConfigs: status.trackedConfigs }),
  ).slice(0, SHORT_HASH_LENGTH);
}
