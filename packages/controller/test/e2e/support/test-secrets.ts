// Secret values the e2e suites put in play — Secret data, webhook URL credentials, bearer tokens — chosen to be
// distinctive, so that finding one in a controller's log file, an Event or a Canary's status can only mean a leak.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_LOG_DIR } from './controller-process.ts';

export const TEST_SECRETS = {
  /** data of a Secret the target reads (copied to <name>-primary by config tracking). */
  secretData: 'e2e-secret-data-3f9c1a7b',
  /** password in a webhook URL's user info (sent as a basic Authorization header). */
  webhookPassword: 'e2e-webhook-password-7b2d4e91',
  /** token in a webhook URL's query. */
  webhookQueryToken: 'e2e-webhook-query-token-c81f0566',
  /** a MetricTemplate's secretRef token (sent to Prometheus as "Authorization: Bearer …"). */
  metricsBearerToken: 'e2e-metrics-bearer-token-5a6e9d02',
} as const;

/** The secret values (as written, base64 as the API stores Secret data, or basic-auth encoded) found in `text`. */
export function secretLeaks(text: string): string[] {
  return Object.entries(TEST_SECRETS).flatMap(([name, value]) =>
    [value, Buffer.from(value).toString('base64'), Buffer.from(`linnet:${value}`).toString('base64')]
      .filter((form) => text.includes(form))
      .map((form) => `${name} (${form === value ? 'plain' : 'encoded'})`),
  );
}

/**
 * The log files of the e2e controllers this test process started (every suite before this one in a --runInBand
 * run), with the secret values found in each. Other processes' files are left alone: on a shared machine they may
 * come from another checkout, or predate a fix.
 */
export function secretLeaksInControllerLogs(): { file: string; leaks: string[] }[] {
  let files: string[];
  try {
    files = readdirSync(E2E_LOG_DIR).filter(
      (file) => file.startsWith('controller-') && file.includes(`-${process.pid}-`) && file.endsWith('.log'),
    );
  } catch {
    return [];
  }
  return files
    .map((file) => join(E2E_LOG_DIR, file))
    .filter((path) => statSync(path).mtimeMs >= performance.timeOrigin)
    .map((path) => ({ file: path, leaks: secretLeaks(readFileSync(path, 'utf8')) }))
    .filter((result) => result.leaks.length > 0);
}
