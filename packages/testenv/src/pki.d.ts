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
/** Writes the cluster PKI into `dir` with openssl (recipe section 7 step 7) and checks both leaf certs verify. */
export declare function createPki(dir: string, algorithm?: KeyAlgorithm): Promise<Pki>;
