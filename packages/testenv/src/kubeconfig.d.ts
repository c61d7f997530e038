import type { Pki } from './pki.ts';
/** Admin kubeconfig with embedded certs, so it stays valid when copied (envtest's layout, names `linnet-testenv`). */
export declare function writeAdminKubeconfig(path: string, server: string, pki: Pki): void;
