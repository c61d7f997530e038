/**
 * The real node's cluster DNS (test/demo only): answers `<service>.<namespace>.svc.cluster.local` with the Service's
 * ClusterIP, as CoreDNS's kubernetes plugin does, for the pods of `up --real-node`. No image registry is reachable, so
 * CoreDNS cannot run as a pod; this runs on the host's loopback and pods reach it through the kube-dns Service.
 *   node cluster-dns-main.ts --server <apiserver url> --pki <dir> --port <port>
 */
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { AdminClient } from '../admin-client.ts';
import { answer, formatError, parseQuestion } from './dns-message.ts';

interface ServiceList {
  items: { metadata: { name: string; namespace: string }; spec: { clusterIP?: string } }[];
}

function flag(name: string): string {
  const index = process.argv.indexOf(name);
  const value = index === -1 ? undefined : process.argv[index + 1];
  if (value === undefined) throw new Error(`cluster-dns: ${name} is required`);
  return value;
}

const pki = flag('--pki');
const admin = new AdminClient(flag('--server'), {
  caCert: join(pki, 'ca.crt'),
  adminCert: join(pki, 'admin.crt'),
  adminKey: join(pki, 'admin.key'),
});
const port = Number(flag('--port'));

// Services by "<name>.<namespace>", refreshed at most once a second (a new Service is answered within ~1 s).
let services = new Map<string, string>();
let fetchedAt = 0;
async function lookup(name: string): Promise<string[] | undefined> {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(name);
  if (!match) return undefined;
  if (Date.now() - fetchedAt > 1_000) {
    const list = (await admin.get('/api/v1/services')) as ServiceList;
    services = new Map(
      list.items
        .filter((s) => s.spec.clusterIP !== undefined && s.spec.clusterIP !== 'None')
        .map((s) => [`${s.metadata.name}.${s.metadata.namespace}`, s.spec.clusterIP as string]),
    );
    fetchedAt = Date.now();
  }
  const ip = services.get(`${match[1]}.${match[2]}`);
  return ip === undefined ? undefined : [ip];
}

const socket = createSocket('udp4');
socket.on('message', (message, remote) => {
  const question = parseQuestion(message);
  const reply = (buffer: Buffer | undefined): void => {
    if (buffer) socket.send(buffer, remote.port, remote.address);
  };
  if (!question) return reply(formatError(message));
  lookup(question.name).then(
    (addresses) => reply(answer(question, addresses)),
    (error: unknown) => process.stderr.write(`cluster-dns: ${question.name}: ${String(error)}\n`),
  );
});
socket.bind(port, '127.0.0.1', () => process.stderr.write(`cluster-dns: listening on 127.0.0.1:${port}/udp\n`));
