// Images for the real node. No registry is reachable, so images come from OCI archives (`npm run image` output)
// loaded into the node's containerd. A MutatingAdmissionPolicy then sends every pod whose images were all loaded to
// the real node (node selector + the node's toleration), and every other pod stays on kwok's fake node: the
// manifests that create those pods stay unchanged.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminClient, type KubeObject } from '../admin-client.ts';
import { cacheDir, repoRoot } from '../paths.ts';
import type { ClusterState } from '../state.ts';
import { waitFor } from '../wait.ts';
import { ctr, importImage } from './containerd.ts';
import { exposeHostService } from './host-services.ts';
import { realNodeName, realNodeTaint } from './kubelet.ts';

/** `npm run image`'s archives of this checkout's version: the controller's and the test loader's. */
export function builtImageArchives(): string[] {
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const archives = ['controller', 'testloader'].map((image) =>
    join(cacheDir(), 'images', `${image}-${version}.oci.tar`),
  );
  const missing = archives.filter((archive) => !existsSync(archive));
  if (missing.length > 0) throw new Error(`no image archive ${missing.join(', ')}: build them with npm run image`);
  return archives;
}

const policyName = 'linnet-testenv-real-node';

export function adminClientOf(state: ClusterState): AdminClient {
  const pki = join(state.runDir, 'pki');
  return new AdminClient(`https://127.0.0.1:${state.ports.apiserver}`, {
    caCert: join(pki, 'ca.crt'),
    adminCert: join(pki, 'admin.crt'),
    adminKey: join(pki, 'admin.key'),
  });
}

const celString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function realNodePolicy(images: readonly string[]): KubeObject[] {
  const list = `[${images.map(celString).join(', ')}]`;
  const toleration = `Object.spec.tolerations{key: ${celString(realNodeTaint.key)}, operator: 'Equal', value: ${celString(realNodeTaint.value)}, effect: ${celString(realNodeTaint.effect)}}`;
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: policyName },
      spec: {
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        },
        matchConditions: [
          {
            name: 'every-image-loaded-into-the-real-node',
            expression:
              `object.spec.containers.all(c, c.image in ${list}) && ` +
              `(!has(object.spec.initContainers) || object.spec.initContainers.all(c, c.image in ${list}))`,
          },
        ],
        failurePolicy: 'Fail',
        reinvocationPolicy: 'Never',
        mutations: [
          {
            // nodeSelector and tolerations are atomic: an apply configuration may not touch them, a JSON patch may.
            patchType: 'JSONPatch',
            jsonPatch: {
              expression:
                `[JSONPatch{op: 'add', path: '/spec/nodeSelector', value: {'kubernetes.io/hostname': ${celString(realNodeName)}}}, ` +
                `JSONPatch{op: 'add', path: '/spec/tolerations', value: ` +
                `(has(object.spec.tolerations) ? object.spec.tolerations : []) + [${toleration}]}]`,
            },
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: { name: policyName },
      spec: { policyName },
    },
  ];
}

/** Images by reference in the node's store (the pause image included: no pod of the user's names it). */
export async function realNodeImages(state: ClusterState): Promise<string[]> {
  if (!state.realNode) throw new Error(`cluster "${state.name}" has no real node (start it with up --real-node)`);
  const { stdout } = await ctr(state.realNode.containerdDir, state.runDir, ['images', 'ls', '-q']);
  return stdout.split('\n').filter((ref) => ref !== '' && !ref.startsWith('sha256:'));
}

/**
 * Loads OCI archives into the real node, then updates the policy and waits until the apiserver applies it (a
 * dry-run pod of the last image must come back with the node selector).
 */
export async function loadRealNodeImages(state: ClusterState, archives: readonly string[]): Promise<string[]> {
  if (!state.realNode) throw new Error(`cluster "${state.name}" has no real node (start it with up --real-node)`);
  for (const archive of archives) await importImage(state.realNode.containerdDir, state.runDir, archive);
  const images = await realNodeImages(state);
  const admin = adminClientOf(state);
  const [policy, binding] = realNodePolicy(images) as [KubeObject, KubeObject];
  await admin.serverSideApply(`/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicies/${policyName}`, policy);
  await admin.serverSideApply(
    `/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings/${policyName}`,
    binding,
  );
  const probeImage = images.at(-1) as string;
  await waitFor(
    `the real node's admission policy to place ${probeImage}`,
    async () => {
      const pod = (await admin.create('/api/v1/namespaces/default/pods?dryRun=All', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { generateName: 'linnet-testenv-probe-' },
        spec: { containers: [{ name: 'probe', image: probeImage }] },
      })) as { spec?: { nodeSelector?: Record<string, string> } };
      return pod.spec?.nodeSelector?.['kubernetes.io/hostname'] === realNodeName ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  return images;
}

/**
 * Makes a process on the host's loopback (port `hostPort`) reachable from the real node's pods as
 * `<name>.<namespace>:<port>` (a Service without selector and an EndpointSlice at the host's end of the pair).
 */
export async function exposeToRealNode(
  state: ClusterState,
  service: { namespace: string; name: string; port: number; hostPort: number },
): Promise<void> {
  if (!state.realNode) throw new Error(`cluster "${state.name}" has no real node (start it with up --real-node)`);
  await exposeHostService(adminClientOf(state), state.realNode.network.hostIp, {
    namespace: service.namespace,
    name: service.name,
    ports: [{ name: 'http', port: service.port, hostPort: service.hostPort, protocol: 'TCP' }],
  });
}
