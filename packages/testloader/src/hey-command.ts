import { parseGoFlags, type GoFlagSpec } from './go-flag-parser.ts';
import { checkLoadSpec, setHeader, type LoadSpec } from './load-spec.ts';
import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

/**
 * Turns a `hey` command line (https://github.com/rakyll/hey) into a LoadSpec, with hey's defaults and validation:
 * `-c` workers (default 50), `-q` requests per second **per worker** (total rate = q × c), `-z` duration (then `-n` is
 * ignored), `-n` total requests (default 200; hey runs floor(n / c) per worker), `-t` per-request timeout in seconds
 * (default 20, 0 = none), `-m`, `-H` (repeatable), `-d`, `-D`, `-T` (default "text/html"), `-A`, `-a`, `-U`, `-host`,
 * `-disable-keepalive`. `-o`, `-cpus`, `-disable-compression` and `-disable-redirects` are accepted and have nothing
 * to change (results are logged as JSON; no compression is requested; redirects are never followed). `-h2` is
 * accepted for http:// URLs (where hey speaks HTTP/1.1 too) and refused for https://; `-x` is refused.
 */

const HEY_USER_AGENT = 'hey/0.0.1';
const HEY_HEADER = /^([\w-]+):\s*(.+)/;
const HEY_BASIC_AUTH = /^(.+):([^\s].+)/;

const HEY_FLAGS: readonly GoFlagSpec[] = [
  { name: 'n', kind: 'int' },
  { name: 'c', kind: 'int' },
  { name: 'q', kind: 'float' },
  { name: 'z', kind: 'duration' },
  { name: 't', kind: 'int' },
  { name: 'm', kind: 'string' },
  { name: 'H', kind: 'string-list' },
  { name: 'h', kind: 'string' },
  { name: 'd', kind: 'string' },
  { name: 'D', kind: 'string' },
  { name: 'T', kind: 'string' },
  { name: 'A', kind: 'string' },
  { name: 'a', kind: 'string' },
  { name: 'U', kind: 'string' },
  { name: 'host', kind: 'string' },
  { name: 'o', kind: 'string' },
  { name: 'x', kind: 'string' },
  { name: 'h2', kind: 'bool' },
  { name: 'cpus', kind: 'int' },
  { name: 'disable-compression', kind: 'bool' },
  { name: 'disable-keepalive', kind: 'bool' },
  { name: 'disable-redirects', kind: 'bool' },
];

/** Flags hey accepts that change nothing in the in-process runner; reported so that the log explains it. */
const FLAGS_WITHOUT_EFFECT: Readonly<Record<string, string>> = {
  o: 'results are always logged as JSON and exported on /metrics',
  cpus: 'the load generator runs on the service event loop',
  'disable-compression': 'compression is never requested',
  'disable-redirects': 'redirects are never followed',
};

export interface HeyCommand {
  readonly spec: LoadSpec;
  /** Explanations for flags that were accepted but have no effect. */
  readonly notes: readonly string[];
}

/** True when a command word names the hey program (`hey`, `/usr/local/bin/hey`). */
export function isHeyProgram(word: string): boolean {
  return word === 'hey' || word.endsWith('/hey');
}

/** Parses `hey [flags] <url>`; words[0] is the program name. */
export function parseHeyCommand(words: readonly string[]): ParseResult<HeyCommand> {
  const fail = (message: string): ParseResult<HeyCommand> => parseFailure(`invalid hey command: ${message}`);
  const flags = parseGoFlags(words.slice(1), HEY_FLAGS);
  if (!flags.ok) return fail(flags.error);
  const given = flags.value;

  const [url, ...extra] = given.positional;
  if (url === undefined) return fail('a URL is required (usage: hey [options...] <url>)');
  if (extra.length > 0) return fail(`unexpected argument ${JSON.stringify(extra[0])} after the URL`);
  if (given.has('h')) return fail("Flag '-h' is deprecated, please use '-H' instead.");
  if (given.has('x')) return fail('-x (HTTP proxy) is not supported by the in-process load generator');
  if (given.bool('h2') === true && url.startsWith('https:')) {
    return fail('-h2 (HTTP/2 over TLS) is not supported by the in-process load generator, which speaks HTTP/1.1');
  }

  const workers = given.number('c') ?? 50;
  const requests = given.number('n') ?? 200;
  const perWorkerRate = given.number('q') ?? 0;
  const durationMs = given.durationMs('z') ?? 0;
  const timeoutSeconds = given.number('t') ?? 20;
  if (perWorkerRate < 0) return fail(`-q must not be negative (got ${perWorkerRate})`);
  if (durationMs < 0) return fail('-z must not be negative');
  if (timeoutSeconds < 0) return fail(`-t must not be negative (got ${timeoutSeconds})`);
  if (durationMs > 0) {
    if (workers <= 0) return fail('-c cannot be smaller than 1.');
  } else {
    if (requests <= 0 || workers <= 0) return fail('-n and -c cannot be smaller than 1.');
    if (requests < workers) return fail('-n cannot be less than -c.');
  }

  const headers: Record<string, string> = {};
  setHeader(headers, 'Content-Type', given.string('T') ?? 'text/html');
  for (const header of given.list('H')) {
    const match = HEY_HEADER.exec(header);
    if (!match) return fail(`could not parse the provided input; input = ${header}`);
    setHeader(headers, match[1] ?? '', match[2] ?? '');
  }
  const accept = given.string('A');
  if (accept) setHeader(headers, 'Accept', accept);
  const basicAuth = given.string('a');
  if (basicAuth) {
    const match = HEY_BASIC_AUTH.exec(basicAuth);
    if (!match) return fail(`could not parse the provided input; input = ${basicAuth}`);
    setHeader(headers, 'Authorization', `Basic ${Buffer.from(`${match[1]}:${match[2]}`).toString('base64')}`);
  }
  const userAgentFlag = given.string('U');
  const userAgentHeader = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1];
  if (userAgentFlag) setHeader(headers, 'User-Agent', `${userAgentFlag} ${HEY_USER_AGENT}`);
  else setHeader(headers, 'User-Agent', userAgentHeader ? `${userAgentHeader} ${HEY_USER_AGENT}` : HEY_USER_AGENT);
  const host = given.string('host');
  if (host) setHeader(headers, 'Host', host);

  const bodyFile = given.string('D') || undefined;
  const notes = Object.entries(FLAGS_WITHOUT_EFFECT)
    .filter(([flag]) => given.has(flag))
    .map(([flag, reason]) => `-${flag} has no effect: ${reason}`);
  if (given.bool('h2') === true) notes.push('-h2 has no effect on http:// URLs (hey speaks HTTP/1.1 there too)');

  const spec: LoadSpec = {
    url,
    method: (given.string('m') ?? 'GET').toUpperCase(),
    headers,
    body: bodyFile === undefined ? given.string('d') || undefined : undefined,
    bodyFile,
    concurrency: workers,
    ratePerSecond: perWorkerRate > 0 ? perWorkerRate * workers : undefined,
    durationMs: durationMs > 0 ? durationMs : undefined,
    requestCount: durationMs > 0 ? undefined : Math.floor(requests / workers) * workers,
    requestTimeoutMs: timeoutSeconds === 0 ? 24 * 3_600_000 : timeoutSeconds * 1000,
    keepAlive: given.bool('disable-keepalive') !== true,
  };
  const checked = checkLoadSpec(spec);
  if (!checked.ok) return fail(checked.error);
  return parsed({ spec: checked.value, notes });
}
