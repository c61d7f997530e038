import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Pki } from './pki.ts';

const base64 = (file: string): string => readFileSync(file).toString('base64');

/** Admin kubeconfig with embedded certs, so it stays valid when copied (envtest's layout, names `linnet-testenv`). */
export function writeAdminKubeconfig(path: string, server: string, pki: Pki): void {
  writeKubeconfig(path, server, pki.caCert, { cert: pki.adminCert, key: pki.adminKey });
}

/**
 * A kubeconfig of one client certificate. `tlsServerName` verifies the serving cert against another of its names
 * (the real node reaches the apiserver at an address the cert does not list).
 */
export function writeKubeconfig(
  path: string,
  server: string,
  caCert: string,
  client: { cert: string; key: string },
  tlsServerName?: string,
): void {
  const name = 'linnet-testenv';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server,
          'certificate-authority-data': base64(caCert),
          ...(tlsServerName === undefined ? {} : { 'tls-server-name': tlsServerName }),
        },
      },
    ],
    users: [{ name, user: { 'client-certificate-data': base64(client.cert), 'client-key-data': base64(client.key) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
