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
export declare function checkClusterHealth(state: ClusterState): Promise<ClusterHealth>;
