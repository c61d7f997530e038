import { join } from 'node:path';
import { AdminClient } from './admin-client.ts';
import { apiserverUrl } from './apiserver.ts';
import { probe } from './http.ts';
import { isProcessAlive, isRecordedProcess } from './processes.ts';
import type { ClusterState } from './state.ts';

export interface ComponentHealth {
  component: string;
  pid?: number;
  healthy: boolean;
  detail: string;
}

export interface ClusterHealth {
  name: string;
  state: ClusterState;
  healthy: boolean;
  components: ComponentHealth[];
}

/** Probes every recorded process and the HTTP readiness endpoints of a cluster. */
export async function checkClusterHealth(state: ClusterState): Promise<ClusterHealth> {
  const components: ComponentHealth[] = state.processes.map((record) => {
    const alive = isProcessAlive(record.pid) && isRecordedProcess(record, state.runDir);
    return { component: record.component, pid: record.pid, healthy: alive, detail: alive ? 'running' : 'not running' };
  });
  const endpoint = async (component: string, url: string, admin?: AdminClient): Promise<void> => {
    const result = await probe(url, admin?.tlsOptions);
    components.push({
      component: `${component} endpoint`,
      healthy: result.ok,
      detail: result.ok ? url : result.detail,
    });
  };
  if (state.phase !== 'ready') {
    components.push({ component: 'startup', healthy: false, detail: `phase ${state.phase} (an up did not finish)` });
  } else {
    const pki = join(state.runDir, 'pki');
    let admin: AdminClient | undefined;
    try {
      admin = new AdminClient(apiserverUrl(state.ports.apiserver), {
        caCert: join(pki, 'ca.crt'),
        adminCert: join(pki, 'admin.crt'),
        adminKey: join(pki, 'admin.key'),
      });
    } catch (error) {
      components.push({ component: 'pki', healthy: false, detail: String(error) });
    }
    if (admin) await endpoint('kube-apiserver', `${admin.server}/readyz`, admin);
    await endpoint('prometheus', `${state.env.PROMETHEUS_URL}/-/ready`);
    if (state.meshSimulator === 'enabled') await endpoint('mesh-simulator', `${state.env.MESH_SIMULATOR_URL}/healthz`);
  }
  return { name: state.name, state, healthy: components.every((c) => c.healthy), components };
}
