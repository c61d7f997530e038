// The one HTTP call of alert delivery: POST a JSON body with a deadline for the whole exchange, an optional proxy
// and an optional Bearer token. Outcomes carry status codes and error codes only: never the URL (a chat webhook
// URL is a credential) nor an error message that could quote it.
import axios from 'axios';

export interface AlertPost {
  url: string;
  proxy?: string | undefined;
  token?: string | undefined;
  body: unknown;
  /** Deadline of the whole exchange: connect, headers and body. */
  timeoutMs: number;
}

export type AlertPostOutcome =
  { kind: 'answered'; status: number } | { kind: 'timeout' } | { kind: 'unreachable'; code: string };

export type PostAlert = (post: AlertPost) => Promise<AlertPostOutcome>;

/** Answers are only judged by status; their bodies are read up to this size and dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function createAlertPoster(): PostAlert {
  const http = axios.create({
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
    maxContentLength: MAX_ANSWER_BYTES,
    maxRedirects: 0,
  });
  return async (post) => {
    const signal = AbortSignal.timeout(post.timeoutMs);
    try {
      const response = await http.post(post.url, JSON.stringify(post.body), {
        signal,
        headers: {
          'Content-Type': 'application/json',
          ...(post.token && { Authorization: `Bearer ${post.token}` }),
        },
        ...(post.proxy && { proxy: axiosProxy(post.proxy) }),
      });
      return { kind: 'answered', status: response.status };
    } catch (error) {
      if (signal.aborted) return { kind: 'timeout' };
      return { kind: 'unreachable', code: errorCode(error) };
    }
  };
}

function axiosProxy(proxy: string): {
  protocol: string;
  host: string;
  port: number;
  auth?: { username: string; password: string };
} {
  const url = new URL(proxy);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return {
    protocol: url.protocol.replace(/:$/, ''),
    host: url.hostname,
    port,
    ...(url.username && {
      auth: { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
    }),
  };
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined) return errorCode(cause);
  }
  return 'UNKNOWN';
}
