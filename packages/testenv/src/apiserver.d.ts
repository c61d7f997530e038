import type { AdminClient } from './admin-client.ts';
import type { Pki } from './pki.ts';
import { type SpawnedProcess } from './processes.ts';
export interface ApiserverOptions {
    executable: string;
    runDir: string;
    port: number;
    etcdUrl: string;
    pki: Pki;
}
export declare function apiserverUrl(port: number): string;
/** kube-apiserver with the recipe's section 3.1 flag set; comments say why the non-obvious ones are there. */
export declare function startApiserver(options: ApiserverOptions): SpawnedProcess;
/** Probes /readyz with the admin cert (an anonymous probe gets 403 until RBAC bootstrap); `?verbose` names failing checks. */
export declare function waitForApiserver(apiserver: SpawnedProcess, admin: AdminClient, timeoutMs?: number): Promise<void>;
/** A post-start controller creates the system namespaces shortly after /readyz; many clients assume they exist. */
export declare function waitForSystemNamespaces(admin: AdminClient, timeoutMs?: number): Promise<void>;
