import type { AdminClient, KubeObject } from './admin-client.ts';
import { type SpawnedProcess } from './processes.ts';
export declare const fakeNodeName = "kwok-node-0";
/**
 * The fake node kwok manages. No `kwok.x-k8s.io/node=fake:NoSchedule` taint (the kwok docs add one to keep real pods
 * off fake nodes; here every pod is fake). Capacity is generous so load tests are not limited by the 110-pod default.
 */
export declare function fakeNode(name?: string): KubeObject;
export declare function createFakeNode(admin: AdminClient, name?: string): Promise<void>;
export interface KwokOptions {
    executable: string;
    runDir: string;
    port: number;
    kubeconfig: string;
    /** `kustomize/stage/fast` of sigs.k8s.io/kwok in the Go module cache: node-initialize, heartbeat, pod-ready/delete. */
    stagesDir: string;
}
export declare function startKwok(options: KwokOptions): SpawnedProcess;
/** kwok's /healthz, then the fake node's Ready condition (set by kwok's node-initialize stage). */
export declare function waitForKwok(kwok: SpawnedProcess, port: number, admin: AdminClient, timeoutMs?: number): Promise<void>;
