import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Pki } from './pki.ts';

const base64 = (file: string): string => readFileSync(file).toString('base64');

/** Admin kubeconfig with embedded certs, so it stays valid when copied (envtest's layout, names `linnet-testenv`). */
export function writeAdminKubeconfig(path: string, server: string, pki: Pki): void {
  const name = 'linnet-testenv';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': base64(pki.caCert) } }],
    users: [
      {
        name,
        user: { 'client-certificate-data': base64(pki.adminCert), 'client-key-data': base64(pki.adminKey) },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
