import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, versionsFile } from './paths.ts';

/** The committed pin file (packages/testenv/versions.json); the build script reads the same file. */
export interface Versions {
  kubernetes: { version: string; staging: string; godebug: string; minor: string };
  etcd: { version: string };
  kwok: { version: string };
  helm: { version: string };
  istioApi: { module: string; version: string };
  prometheus: { deb: string };
  /** The real node's container runtime (`up --real-node`), unpacked from Debian like Prometheus. */
  containerd: { deb: string };
  /** Tag of the locally built pause image (the real node's sandbox image). */
  pause: { version: string };
}

export function readVersions(): Versions {
  return JSON.parse(readFileSync(versionsFile, 'utf8')) as Versions;
}

export interface BinaryPaths {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  /** Not run by testenv: the client of the walkthrough (`npm run demo`) and of the CLI's plugin tests. */
  kubectl: string;
  etcd: string;
  kwok: string;
  /** Not run by testenv: `helm lint`/`helm template` of the chart in the install tests. */
  helm: string;
  prometheus: string;
}

/** Where build-components.sh and the Prometheus unpack put each binary, keyed by pinned version. */
export function binaryPaths(versions: Versions = readVersions()): BinaryPaths {
  const bin = join(cacheDir(), 'bin');
  const k8s = join(bin, `kubernetes-${versions.kubernetes.version}`);
  return {
    kubeApiserver: join(k8s, 'kube-apiserver'),
    kubeControllerManager: join(k8s, 'kube-controller-manager'),
    kubeScheduler: join(k8s, 'kube-scheduler'),
    kubectl: join(bin, `kubectl-${versions.kubernetes.version}`, 'kubectl'),
    etcd: join(bin, `etcd-${versions.etcd.version}`, 'etcd'),
    kwok: join(bin, `kwok-${versions.kwok.version}`, 'kwok'),
    helm: join(bin, `helm-${versions.helm.version}`, 'helm'),
    prometheus: join(prometheusDir(versions), 'usr', 'bin', 'prometheus'),
  };
}

/** kubelet and kube-proxy, built only for `up --real-node` (LINNET_BUILD_NODE=1 in build-components.sh). */
export function nodeBinaryPaths(versions: Versions = readVersions()): { kubelet: string; kubeProxy: string } {
  const dir = join(cacheDir(), 'bin', `node-${versions.kubernetes.version}`);
  return { kubelet: join(dir, 'kubelet'), kubeProxy: join(dir, 'kube-proxy') };
}

/** containerd's unpacked .deb: `containerd-1.6.20~ds1-1+deb12u3/usr/bin/{containerd,ctr,containerd-shim-runc-v2}`. */
export function containerdDir(versions: Versions = readVersions()): string {
  return join(cacheDir(), 'bin', `containerd-${versions.containerd.deb}`);
}

/** `prometheus-2.42` for deb `2.42.0+ds-5+deb12u1`. */
export function prometheusDir(versions: Versions = readVersions()): string {
  const [major, minor] = versions.prometheus.deb.split('.');
  return join(cacheDir(), 'bin', `prometheus-${major}.${minor}`);
}
