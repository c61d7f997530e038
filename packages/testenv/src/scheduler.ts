import { startKubeComponent, type KubeComponentOptions } from './kube-component.ts';
import type { SpawnedProcess } from './processes.ts';

/** kube-scheduler binds pods to the fake node; kwok only handles pods that already have spec.nodeName. */
export function startScheduler(options: KubeComponentOptions): SpawnedProcess {
  return startKubeComponent('kube-scheduler', 'scheduler-certs', options);
}
