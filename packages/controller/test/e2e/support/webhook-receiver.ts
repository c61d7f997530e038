// A local HTTP endpoint for a Canary's webhooks: answers every call (200 by default, or what the test says) and
// records it. The controller runs on the host, so a 127.0.0.1 URL reaches it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  /** Parsed JSON body (Flagger's CanaryWebhookPayload). */
  body: { name?: string; namespace?: string; phase?: string; type?: string; metadata?: Record<string, string> };
  receivedAt: string;
  answeredWith: number;
}

export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:40123/rollout */
  url(path?: string): string;
  calls(path?: string): ReceivedWebhook[];
  /** Sets the status code answered on `path` (default 200 everywhere). */
  answer(path: string, status: number): void;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** Called for every call after it is recorded (e.g. to start simulated load); must not throw. */
  onCall?(call: ReceivedWebhook): void;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const answers = new Map<string, number>();
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const status = answers.get(path) ?? 200;
      let body: ReceivedWebhook['body'] = {};
      try {
        body = JSON.parse(text) as ReceivedWebhook['body'];
      } catch {
        // Recorded with an empty body; the test sees it.
      }
      const call = { path, body, receivedAt: new Date().toISOString(), answeredWith: status };
      received.push(call);
      options.onCall?.(call);
      response.writeHead(status, { 'Content-Type': 'text/plain' });
      response.end(status <= 202 ? 'OK' : 'Forbidden');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    calls: (path) => received.filter((call) => path === undefined || call.path === path),
    answer: (path, status) => answers.set(path, status),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}
