import { resourceName } from '../kube/resource-type.ts';
import type { Informer } from './informer.ts';

/** The informers of one controller, started, stopped and awaited together. */
export class InformerGroup {
  // Informers of different object types live together; the group only needs their lifecycle.
  private readonly members: Array<Informer<never>> = [];

  add<I extends Informer<never>>(informer: I): I {
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
