import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/** File paths of the cluster PKI; one CA signs both the serving cert and the admin client cert. */
export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

/**
 * `ec` (P-256, the default, as envtest uses) or `rsa` (2048 bits, the recipe's original). RSA key generation costs
 * 0.3-1 s per key on a busy 2-core machine, four keys per `up`; P-256 takes ~10 ms. Kubernetes accepts both for
 * serving, client and service-account signing keys.
 */
export type KeyAlgorithm = 'ec' | 'rsa';

const newKeyArgs: Record<KeyAlgorithm, readonly string[]> = {
  ec: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  rsa: ['-newkey', 'rsa:2048'],
};
const genKeyArgs: Record<KeyAlgorithm, readonly string[]> = {
  ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
};
// keyEncipherment only means something for RSA key exchange.
const leafKeyUsage: Record<KeyAlgorithm, string> = {
  ec: 'keyUsage=critical,digitalSignature',
  rsa: 'keyUsage=critical,digitalSignature,keyEncipherment',
};

// SANs cover every name a client may use for the apiserver, including the in-cluster service IP of 10.0.0.0/24.
const servingSans =
  'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
  'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local';

const opensslTimeoutMs = 30_000;

async function openssl(dir: string, args: readonly string[]): Promise<void> {
  await execa('openssl', args, { cwd: dir, timeout: opensslTimeoutMs });
}

async function signedCert(
  dir: string,
  algorithm: KeyAlgorithm,
  name: string,
  subject: string,
  extensions: readonly string[],
): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), `${[...extensions, leafKeyUsage[algorithm]].join('\n')}\n`);
  await openssl(dir, [
    'req',
    ...newKeyArgs[algorithm],
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  ]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAserial',
    `${name}.srl`,
    '-CAcreateserial',
    '-days',
    '365',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  ]);
}

/** A client certificate of the cluster CA in the PKI dir (the real node's kubelet and kube-proxy identities). */
export async function createClientCert(
  pki: Pki,
  name: string,
  subject: string,
  algorithm: KeyAlgorithm = 'ec',
): Promise<{ cert: string; key: string }> {
  await signedCert(pki.dir, algorithm, name, subject, ['extendedKeyUsage=clientAuth']);
  return { cert: join(pki.dir, `${name}.crt`), key: join(pki.dir, `${name}.key`) };
}

/** Writes the cluster PKI into `dir` with openssl (recipe section 7 step 7) and checks both leaf certs verify. */
export async function createPki(dir: string, algorithm: KeyAlgorithm = 'ec'): Promise<Pki> {
  await openssl(dir, [
    'req',
    '-x509',
    ...newKeyArgs[algorithm],
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=testenv-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  // The leaf certs use separate serial files (random serials), so they can be signed concurrently.
  await Promise.all([
    signedCert(dir, algorithm, 'apiserver', '/CN=kube-apiserver', [servingSans, 'extendedKeyUsage=serverAuth']),
    signedCert(dir, algorithm, 'admin', '/O=system:masters/CN=testenv-admin', ['extendedKeyUsage=clientAuth']),
    openssl(dir, ['genpkey', ...genKeyArgs[algorithm], '-out', 'sa.key']).then(() =>
      openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']),
    ),
  ]);
  const verify = await execa('openssl', ['verify', '-CAfile', 'ca.crt', 'apiserver.crt', 'admin.crt'], {
    cwd: dir,
    timeout: opensslTimeoutMs,
  });
  if (!/apiserver\.crt: OK/.test(verify.stdout) || !/admin\.crt: OK/.test(verify.stdout)) {
    throw new Error(`PKI: openssl verify failed:\n${verify.stdout}\n${verify.stderr}`);
  }
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPublicKey: join(dir, 'sa.pub'),
  };
}
