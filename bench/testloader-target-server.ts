/**
 * The local HTTP server bench/testloader-rate.ts loads: answers "ok" to everything, counts requests, and reports the
 * count on GET /__count (not counted). Prints its port as the first line of stdout.
 *
 *   node bench/testloader-target-server.ts [port]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let served = 0;
const server = createServer((request, response) => {
  if (request.url === '/__count') {
    response.end(String(served));
    return;
  }
  served++;
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
  response.end('ok');
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
