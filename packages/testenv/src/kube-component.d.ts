import { type SpawnedProcess } from './processes.ts';
/** What kube-controller-manager and kube-scheduler are both started with. */
export interface KubeComponentOptions {
    executable: string;
    runDir: string;
    port: number;
    kubeconfig: string;
}
/**
 * Starts a control-plane component that talks to the apiserver through `kubeconfig` and serves /healthz on a
 * self-signed 127.0.0.1 port; `extraArgs` go between the shared flags and `--v=1`.
 */
export declare function startKubeComponent(component: 'kube-controller-manager' | 'kube-scheduler', certDirName: string, options: KubeComponentOptions, extraArgs?: readonly string[]): SpawnedProcess;
/** /healthz is an always-allowed path; the serving cert is self-signed, hence no verification. */
export declare function waitForKubeComponent(spawned: SpawnedProcess, port: number, timeoutMs?: number): Promise<void>;
