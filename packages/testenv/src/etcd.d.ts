import { type SpawnedProcess } from './processes.ts';
export interface EtcdOptions {
    executable: string;
    runDir: string;
    clientPort: number;
    peerPort: number;
}
export declare function etcdUrl(clientPort: number): string;
/** etcd with its data dir in the run dir; fsync off because the data is thrown away (recipe section 7 step 8). */
export declare function startEtcd(options: EtcdOptions): SpawnedProcess;
export declare function waitForEtcd(etcd: SpawnedProcess, clientPort: number, timeoutMs?: number): Promise<void>;
