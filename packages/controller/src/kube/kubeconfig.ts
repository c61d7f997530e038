// Where the controller's API credentials come from, found the way kubectl finds them: an explicit kubeconfig path,
// else $KUBECONFIG, else ~/.kube/config, else the in-cluster service account. The common cases (certificates, a
// token or token file, the in-cluster account) are read here; anything else (exec plugins, auth providers, merged
// kubeconfig lists) is left to client-node, which is loaded only then: it costs about 75 MiB of memory.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { KubeError } from './kube-errors.ts';

/** One API server and how to authenticate to it. */
export interface KubeEndpoint {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTlsVerify: boolean;
  /** The bearer token, if any; read again from its file now and then (bound tokens are rotated). */
  token?: () => string;
}

export type CredentialSource =
  | { kind: 'endpoint'; endpoint: KubeEndpoint }
  /** Needs client-node's loader; `why` names the feature. */
  | { kind: 'client-node'; kubeconfigPath: string | undefined; why: string };

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_REREAD_MS = 60_000;

interface NamedEntry<T> {
  name?: string;
  [field: string]: unknown;
  value?: T;
}
interface KubeconfigFile {
  'current-context'?: string;
  clusters?: Array<NamedEntry<never> & { cluster?: Record<string, unknown> }>;
  users?: Array<NamedEntry<never> & { user?: Record<string, unknown> }>;
  contexts?: Array<NamedEntry<never> & { context?: { cluster?: string; user?: string } }>;
}

export async function resolveCredentials(
  kubeconfigPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CredentialSource> {
  if (!kubeconfigPath && env.KUBECONFIG?.includes(':')) {
    return { kind: 'client-node', kubeconfigPath: undefined, why: 'several files in $KUBECONFIG' };
  }
  const defaultPath = join(env.HOME || homedir(), '.kube', 'config');
  const path = kubeconfigPath || env.KUBECONFIG || (existsSync(defaultPath) ? defaultPath : undefined);
  if (path) return fromKubeconfig(path);
  return { kind: 'endpoint', endpoint: inCluster(env) };
}

function inCluster(env: NodeJS.ProcessEnv): KubeEndpoint {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeError(
      'InvalidKubeconfig',
      'no kubeconfig (-kubeconfig, $KUBECONFIG, ~/.kube/config) and not running in a cluster',
    );
  }
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(SERVICE_ACCOUNT_DIR, 'ca.crt')),
    insecureSkipTlsVerify: false,
    token: tokenFile(join(SERVICE_ACCOUNT_DIR, 'token')),
  };
}

async function fromKubeconfig(path: string): Promise<CredentialSource> {
  // YAML is parsed only here: in a cluster the controller never needs the parser.
  const { parse } = await import('yaml');
  let config: KubeconfigFile;
  try {
    config = (parse(readFileSync(path, 'utf8')) ?? {}) as KubeconfigFile;
  } catch (error) {
    throw new KubeError('InvalidKubeconfig', `kubeconfig ${path}: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  const contextName = config['current-context'];
  const context = config.contexts?.find((entry) => entry.name === contextName)?.context;
  const cluster = config.clusters?.find((entry) => entry.name === context?.cluster)?.cluster;
  const user = config.users?.find((entry) => entry.name === context?.user)?.user ?? {};
  if (!context || !cluster || typeof cluster.server !== 'string') {
    throw new KubeError(
      'InvalidKubeconfig',
      `kubeconfig ${path}: current-context "${contextName ?? ''}" is incomplete`,
    );
  }
  for (const field of ['exec', 'auth-provider', 'username', 'as', 'impersonate']) {
    if (user[field] !== undefined) return { kind: 'client-node', kubeconfigPath: path, why: `user.${field}` };
  }
  const base = dirname(path);
  const bytes = (data: unknown, file: unknown): Buffer | undefined => {
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    if (typeof file === 'string') return readFileSync(isAbsolute(file) ? file : join(base, file));
    return undefined;
  };
  const tokenPath = typeof user.tokenFile === 'string' ? user.tokenFile : undefined;
  const staticToken = typeof user.token === 'string' ? user.token : undefined;
  return {
    kind: 'endpoint',
    endpoint: {
      server: cluster.server,
      ca: bytes(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: bytes(user['client-certificate-data'], user['client-certificate']),
      key: bytes(user['client-key-data'], user['client-key']),
      insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
      token: staticToken
        ? () => staticToken
        : tokenPath
          ? tokenFile(isAbsolute(tokenPath) ? tokenPath : join(base, tokenPath))
          : undefined,
    },
  };
}

function tokenFile(path: string): () => string {
  let token = '';
  let readAt = -Infinity;
  return () => {
    if (performance.now() - readAt > TOKEN_REREAD_MS) {
      token = readFileSync(path, 'utf8').trim();
      readAt = performance.now();
    }
    return token;
  };
}
