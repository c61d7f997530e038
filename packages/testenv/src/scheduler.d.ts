import { type KubeComponentOptions } from './kube-component.ts';
import type { SpawnedProcess } from './processes.ts';
/** kube-scheduler binds pods to the fake node; kwok only handles pods that already have spec.nodeName. */
export declare function startScheduler(options: KubeComponentOptions): SpawnedProcess;
