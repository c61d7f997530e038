import { createServer, type Server } from 'node:net';

function listenOnFreeLoopbackPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Distinct free loopback ports for `names` (bind 127.0.0.1:0, read, close); never rely on a component's default port.
 * All listeners are held open together, so one call never hands out the same port twice. Another process can still
 * take a port before our component binds it; that shows up as "address already in use" in the component's log.
 */
export async function allocatePorts<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const servers = await Promise.all(names.map(() => listenOnFreeLoopbackPort()));
  try {
    const ports = {} as Record<K, number>;
    names.forEach((name, i) => {
      const address = servers[i]?.address();
      if (address === null || address === undefined || typeof address === 'string') {
        throw new Error('could not read the port of a loopback listener');
      }
      ports[name] = address.port;
    });
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
