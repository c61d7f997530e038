// Linnet's install manifests (deploy/) as the install suite uses them: rendered without kubectl by a tiny kustomize
// renderer that knows only what our own bases use (`resources`, `namespace`, and `patches` made of JSON 6902 `add`
// operations; anything else is refused, never ignored), applied with server-side apply through @kubernetes/client-node, and the ServiceAccount's credentials
// turned into a kubeconfig so the controller can run with exactly the permissions the manifests grant.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  type KubernetesObject,
  type V1ResourceAttributes,
} from '@kubernetes/client-node';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { waitUntil } from './deadline.ts';

/** The repository's deploy/ directory. */
export const DEPLOY_DIR = fileURLToPath(new URL('../../../../../deploy/', import.meta.url));

/** Field manager of the install suite's writes, as `kubectl apply --server-side --field-manager` would use. */
export const INSTALL_FIELD_MANAGER = 'linnet-install';

/** A manifest as plain JSON. */
export interface ManifestObject extends KubernetesObject {
  [field: string]: unknown;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** Kinds our manifests use that are not namespaced (kustomize knows them from the built-in schema). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);

/** The kustomization fields the renderer implements. */
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'patches']);

export interface RenderOptions {
  /**
   * `resources` entries not to render, as paths relative to the rendered root (e.g. "testloader/shared"): parts of
   * the base the suite does not install, whose kustomizations use fields this renderer does not implement.
   */
  skip?: readonly string[];
}

export class UnsupportedKustomizationError extends Error {
  readonly reason = 'UnsupportedKustomization';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedKustomizationError';
  }
}

/** Renders the kustomization in `dir` as `kustomize build` would, for the subset of kustomize our bases use. */
export function renderKustomization(dir: string, options: RenderOptions = {}): ManifestObject[] {
  const root = resolve(dir);
  const skip = new Set((options.skip ?? []).map((path) => resolve(root, path)));
  const objects = renderDirectory(root, skip);
  const seen = new Set<string>();
  for (const object of objects) {
    const id = objectId(object);
    if (seen.has(id)) throw new UnsupportedKustomizationError(`${id} is defined twice (kustomize refuses this too)`);
    seen.add(id);
  }
  return objects;
}

function renderDirectory(dir: string, skip: ReadonlySet<string>): ManifestObject[] {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((name) => join(dir, name))
    .find((path) => existsSync(path));
  if (!file) throw new UnsupportedKustomizationError(`${dir} has no kustomization.yaml`);
  const kustomization = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) {
    throw new UnsupportedKustomizationError(
      `${file}: the test renderer implements only ${[...SUPPORTED_FIELDS].join(', ')}, not ${unsupported.join(', ')} ` +
        '(skip that entry, or extend packages/controller/test/e2e/support/install-manifests.ts)',
    );
  }
  const resources = kustomization.resources ?? [];
  if (!Array.isArray(resources) || !resources.every((entry) => typeof entry === 'string')) {
    throw new UnsupportedKustomizationError(`${file}: resources must be a list of paths`);
  }
  const objects = resources.flatMap((entry) => {
    const path = resolve(dir, entry);
    if (skip.has(path)) return [];
    if (!existsSync(path)) throw new UnsupportedKustomizationError(`${file}: ${entry} does not exist`);
    return statSync(path).isDirectory() ? renderDirectory(path, skip) : readManifests(path);
  });
  const patched = applyPatches(file, objects, kustomization.patches ?? []);
  const namespace = kustomization.namespace;
  if (namespace === undefined) return patched;
  if (typeof namespace !== 'string') throw new UnsupportedKustomizationError(`${file}: namespace must be a string`);
  return setNamespace(patched, namespace);
}

interface AddOperation {
  op: 'add';
  path: string;
  value: unknown;
}

/** kustomize `patches` with an inline JSON 6902 patch of `add` operations, on a target named by kind and name. */
function applyPatches(file: string, objects: ManifestObject[], patches: unknown): ManifestObject[] {
  if (!Array.isArray(patches)) throw new UnsupportedKustomizationError(`${file}: patches must be a list`);
  let result = objects;
  for (const entry of patches as { target?: { kind?: string; name?: string }; patch?: unknown }[]) {
    const { kind, name } = entry.target ?? {};
    const operations = typeof entry.patch === 'string' ? (parse(entry.patch) as AddOperation[]) : undefined;
    if (!kind || !name || !Array.isArray(operations) || operations.some((operation) => operation.op !== 'add')) {
      throw new UnsupportedKustomizationError(
        `${file}: the test renderer implements only patches with a kind+name target and inline JSON 6902 add operations`,
      );
    }
    result = result.map((object) =>
      object.kind === kind && object.metadata?.name === name
        ? operations.reduce((patched, operation) => addAt(patched, operation), structuredClone(object))
        : object,
    );
  }
  return result;
}

/** JSON 6902 `add`: the path's parent must exist; `-` appends to a list. */
function addAt(object: ManifestObject, operation: AddOperation): ManifestObject {
  const keys = operation.path
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent: unknown = object;
  for (const key of keys) parent = (parent as Record<string, unknown> | undefined)?.[key];
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(operation.value);
    else parent.splice(Number(last), 0, operation.value);
  } else if (typeof parent === 'object' && parent !== null && last !== undefined) {
    (parent as Record<string, unknown>)[last] = operation.value;
  } else {
    throw new UnsupportedKustomizationError(`patch path ${operation.path} does not exist in ${objectId(object)}`);
  }
  return object;
}

function readManifests(file: string): ManifestObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message ?? 'invalid YAML'}`);
    const object = document.toJS() as ManifestObject | null;
    if (object === null) return [];
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
    }
    return [object];
  });
}

/**
 * kustomize's namespace transformer (also what an overlay's `namespace:` does): namespaced objects move to `namespace`, a Namespace object is renamed to it,
 * and binding subjects that name one of the moved ServiceAccounts follow it.
 */
export function setNamespace(objects: readonly ManifestObject[], namespace: string): ManifestObject[] {
  const movedServiceAccounts = new Set(
    objects
      .filter((object) => object.kind === 'ServiceAccount')
      .map((object) => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`),
  );
  return objects.map((original) => {
    const object = structuredClone(original);
    const metadata = object.metadata ?? {};
    if (object.kind === 'Namespace') metadata.name = namespace;
    else if (!CLUSTER_SCOPED_KINDS.has(object.kind ?? '')) metadata.namespace = namespace;
    if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
      for (const subject of (object.subjects ?? []) as Subject[]) {
        if (subject.kind === 'ServiceAccount' && movedServiceAccounts.has(`${subject.namespace ?? ''}/${subject.name}`))
          subject.namespace = namespace;
      }
    }
    return { ...object, metadata };
  });
}

/** "Kind namespace/name", or "Kind name" for cluster-scoped objects. */
export function objectId(object: KubernetesObject): string {
  const namespace = object.metadata?.namespace;
  return `${object.kind ?? '?'} ${namespace ? `${namespace}/` : ''}${object.metadata?.name ?? '?'}`;
}

export function findObject(objects: readonly ManifestObject[], kind: string, name: string): ManifestObject {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata?.name === name);
  if (!object) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return object;
}

export function rulesOf(role: ManifestObject): PolicyRule[] {
  return (role.rules ?? []) as PolicyRule[];
}

/** Every '*' in the rules of every Role and ClusterRole, as "Kind name: field". */
export function wildcardGrants(objects: readonly ManifestObject[]): string[] {
  return objects
    .filter((object) => object.kind === 'Role' || object.kind === 'ClusterRole')
    .flatMap((role) =>
      rulesOf(role).flatMap((rule) =>
        (['apiGroups', 'resources', 'resourceNames', 'verbs', 'nonResourceURLs'] as const)
          .filter((field) => (rule[field] ?? []).some((value) => value.includes('*')))
          .map((field) => `${objectId(role)}: ${field} ${JSON.stringify(rule[field])}`),
      ),
    );
}

/** Relative path of a file under deploy/, for messages. */
export function deployPath(path: string): string {
  return relative(DEPLOY_DIR, path);
}

/** The install order of kubectl apply: namespaces and CRDs before what lives in them or uses them. */
function installRank(object: KubernetesObject): number {
  const order = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'Role'];
  const rank = order.indexOf(object.kind ?? '');
  return rank === -1 ? order.length : rank;
}

/**
 * Server-side apply of every object (field manager linnet-install, conflicts forced), in install order. client-node
 * serialises a body through its typed model, which expects its own property names (`xKubernetesIntOrString`), so a
 * plain manifest is first loaded the way client-node loads YAML; sent as it stands, wire names such as
 * `x-kubernetes-int-or-string` in a CRD schema would be dropped.
 */
export async function applyManifests(config: KubeConfig, objects: readonly ManifestObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(config);
  const ordered = [...objects].sort((a, b) => installRank(a) - installRank(b));
  for (const object of ordered) {
    try {
      const typed = loadYaml<ManifestObject>(JSON.stringify(object));
      await client.patch(typed, undefined, undefined, INSTALL_FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    } catch (error) {
      throw new Error(`server-side apply of ${objectId(object)} failed: ${describeApiError(error)}`, { cause: error });
    }
  }
}

/** Mints a bearer token for a ServiceAccount (TokenRequest API: POST serviceaccounts/<name>/token). */
export async function requestServiceAccountToken(
  config: KubeConfig,
  namespace: string,
  name: string,
  expirationSeconds = 3600,
): Promise<string> {
  const core = config.makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({
    namespace,
    name,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      // No audiences: the API server's own, so the token authenticates to it.
      spec: { audiences: [], expirationSeconds },
    },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`TokenRequest for ServiceAccount ${namespace}/${name} returned no token`);
  return token;
}

/**
 * Writes a kubeconfig that authenticates with `token` to the cluster (server and CA) of `adminKubeconfig`'s current
 * context, so a process using it has the ServiceAccount's permissions and nothing else. Returns the KubeConfig.
 */
export function writeTokenKubeconfig(
  adminKubeconfig: string,
  token: string,
  file: string,
  user = 'linnet-controller',
): KubeConfig {
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`${adminKubeconfig} has no current cluster`);
  const clusterEntry: Record<string, string | boolean> = { server: cluster.server };
  if (cluster.caData) clusterEntry['certificate-authority-data'] = cluster.caData;
  else if (cluster.caFile) clusterEntry['certificate-authority'] = cluster.caFile;
  if (cluster.skipTLSVerify) clusterEntry['insecure-skip-tls-verify'] = true;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'linnet-install', cluster: clusterEntry }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'linnet-install', user } }],
    'current-context': user,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
  const loaded = new KubeConfig();
  loaded.loadFromFile(file);
  return loaded;
}

/** Whether the config's user may do `attributes` (SelfSubjectAccessReview), with the authorizer's reason. */
export async function canI(
  config: KubeConfig,
  attributes: V1ResourceAttributes,
): Promise<{ allowed: boolean; reason: string }> {
  const review = await config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: attributes },
    },
  });
  return { allowed: review.status?.allowed === true, reason: review.status?.reason ?? '' };
}

/** The HTTP status of a failed client-node call (ApiException), or undefined for other errors. */
export function apiErrorCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

function describeApiError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
    return `HTTP ${error.code}: ${body}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Waits until every CRD among `objects` is Established (usually at once: the testenv installs them too). */
export async function waitForCrdsEstablished(
  config: KubeConfig,
  objects: readonly ManifestObject[],
  timeoutMs = 30_000,
): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(config);
  const deadline = Date.now() + timeoutMs;
  for (const crd of objects.filter((object) => object.kind === 'CustomResourceDefinition')) {
    const name = crd.metadata?.name ?? '';
    await waitUntil(
      `CustomResourceDefinition ${name} to be Established`,
      async () => {
        const live = (await client.read({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name },
        })) as ManifestObject & { status?: { conditions?: { type: string; status: string }[] } };
        const conditions = live.status?.conditions ?? [];
        return conditions.some((condition) => condition.type === 'Established' && condition.status === 'True')
          ? { done: true, value: undefined }
          : { done: false, seen: JSON.stringify(conditions) };
      },
      { timeoutMs: Math.max(deadline - Date.now(), 1) },
    );
  }
}
