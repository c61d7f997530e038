// Which Canaries an object change concerns: targets and tracked ConfigMaps/Secrets are found by name (they are
// not owned by the Canary), generated objects by their controller owner reference.
import { controllerOf, objectKey, type KubeObject } from '../kube/index.ts';

type WorkloadKind = 'Deployment' | 'DaemonSet';
type ConfigKind = 'ConfigMap' | 'Secret';

export class CanaryIndex {
  private readonly targetOf = new Map<string, string>();
  private readonly configsOf = new Map<string, readonly string[]>();
  private readonly byObject = new Map<string, Set<string>>();

  /** Records the target of a Canary (from its spec); returns the other Canaries with the same target. */
  setTarget(canaryKey: string, kind: WorkloadKind, namespace: string, name: string): string[] {
    const reference = `${kind}/${objectKey({ namespace, name })}`;
    const previous = this.targetOf.get(canaryKey);
    if (previous !== reference) {
      if (previous) this.unlink(previous, canaryKey);
      this.targetOf.set(canaryKey, reference);
      this.link(reference, canaryKey);
    }
    return [...(this.byObject.get(reference) ?? [])].filter((key) => key !== canaryKey);
  }

  /** Records the ConfigMaps and Secrets the Canary's target refers to. */
  setConfigs(canaryKey: string, namespace: string, configs: readonly { kind: ConfigKind; name: string }[]): void {
    for (const reference of this.configsOf.get(canaryKey) ?? []) this.unlink(reference, canaryKey);
    const references = configs.map((config) => `${config.kind}/${objectKey({ namespace, name: config.name })}`);
    this.configsOf.set(canaryKey, references);
    for (const reference of references) this.link(reference, canaryKey);
  }

  /** The name of the Canary's target as last recorded (it outlives the deleted Canary until `remove`). */
  targetNameOf(canaryKey: string): string | undefined {
    const reference = this.targetOf.get(canaryKey);
    return reference === undefined ? undefined : reference.slice(reference.lastIndexOf('/') + 1);
  }

  remove(canaryKey: string): void {
    const target = this.targetOf.get(canaryKey);
    if (target) this.unlink(target, canaryKey);
    this.targetOf.delete(canaryKey);
    for (const reference of this.configsOf.get(canaryKey) ?? []) this.unlink(reference, canaryKey);
    this.configsOf.delete(canaryKey);
  }

  /** Canaries whose target (or, by owner reference, generated object) this is. */
  canariesFor(kind: WorkloadKind | ConfigKind | string, object: KubeObject): string[] {
    const namespace = object.metadata?.namespace;
    const name = object.metadata?.name;
    const keys = new Set<string>();
    if (name) for (const key of this.byObject.get(`${kind}/${objectKey({ namespace, name })}`) ?? []) keys.add(key);
    const owner = controllerOf(object);
    if (owner?.kind === 'Canary' && owner.apiVersion.startsWith('flagger.app/')) {
      keys.add(objectKey({ namespace, name: owner.name }));
    }
    return [...keys];
  }

  private link(reference: string, canaryKey: string): void {
    let keys = this.byObject.get(reference);
    if (!keys) this.byObject.set(reference, (keys = new Set()));
    keys.add(canaryKey);
  }

  private unlink(reference: string, canaryKey: string): void {
    const keys = this.byObject.get(reference);
    keys?.delete(canaryKey);
    if (keys?.size === 0) this.byObject.delete(reference);
  }
}
