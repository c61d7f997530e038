import { type KubeComponentOptions } from './kube-component.ts';
import type { Pki } from './pki.ts';
import type { SpawnedProcess } from './processes.ts';
export interface ControllerManagerOptions extends KubeComponentOptions {
    pki: Pki;
}
export declare function startControllerManager(options: ControllerManagerOptions): SpawnedProcess;
