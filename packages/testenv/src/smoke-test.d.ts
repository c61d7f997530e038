import type { AdminClient } from './admin-client.ts';
import type { Logger } from './log.ts';
/**
 * Proves the whole chain once per `up`: deployment-controller → replicaset-controller → scheduler → kwok pod-ready
 * → Deployment Available; then a cascading delete exercises the garbage collector and kwok's pod-delete stage.
 * (Deleting a namespace would also cover namespace-controller, but costs ~5 s; the integration tests cover it.)
 */
export declare function runSmokeTest(admin: AdminClient, log: Logger, timeoutMs?: number): Promise<void>;
