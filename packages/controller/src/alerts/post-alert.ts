// The one HTTP call of alert delivery, through the bounded exchange every external call uses: a JSON POST with a
// deadline over the whole exchange, an answer size cap, an optional proxy and an optional Bearer token.
import { boundedExchange, type ExchangeResult } from '../bounded-http/index.ts';

export interface AlertPost {
  url: string;
  proxy?: string | undefined;
  token?: string | undefined;
  body: unknown;
  /** Deadline of the whole exchange: connect, headers and body. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export type PostAlert = (post: AlertPost) => Promise<ExchangeResult>;

/** Chat services answer "ok" or a short error; anything longer is cut off as a failure. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function createAlertPoster(): PostAlert {
  return (post) =>
    boundedExchange({
      method: 'POST',
      url: post.url,
      headers: {
        'Content-Type': 'application/json',
        ...(post.token && { Authorization: `Bearer ${post.token}` }),
      },
      body: JSON.stringify(post.body),
      deadlineMs: post.timeoutMs,
      maxBodyBytes: MAX_ANSWER_BYTES,
      proxyUrl: post.proxy,
      signal: post.signal,
    });
}
