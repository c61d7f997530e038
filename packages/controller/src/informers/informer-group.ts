import { resourceName } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';

/** The part of an informer the group needs, whatever its object type. */
export interface InformerLifecycle {
  readonly type: ResourceType;
  start(): void;
  stop(): Promise<void>;
  hasSynced(): boolean;
  waitForSync(timeoutMs: number): Promise<void>;
}

/** The informers of one controller, started, stopped and awaited together. */
export class InformerGroup {
  private readonly members: InformerLifecycle[] = [];

  /** Add an informer; returns it, typed as given. */
  add<I extends InformerLifecycle>(informer: I): I {
    this.members.push(informer);
    return informer;
  }

  startAll(): void {
    for (const informer of this.members) informer.start();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.members.map((informer) => informer.stop()));
  }

  /** True when every informer has listed once (what /readyz reports). */
  hasSynced(): boolean {
    return this.members.every((informer) => informer.hasSynced());
  }

  /** Resource names of the informers not yet synced, for readiness messages. */
  unsynced(): string[] {
    return this.members.filter((informer) => !informer.hasSynced()).map((informer) => resourceName(informer.type));
  }

  async waitForSync(timeoutMs: number): Promise<void> {
    await Promise.all(this.members.map((informer) => informer.waitForSync(timeoutMs)));
  }
}
