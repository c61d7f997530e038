import { chownSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  controllerImageArchive,
  missingContainerTools,
  prepareControllerContainer,
  type ControllerContainer,
} from '../controller-container.ts';
import { repoRoot } from '../paths.ts';

/** The image's user: the kubeconfig copy must be readable by it. */
const NONROOT = 65532;

/**
 * `--controller-image`: the controller image of this version (`npm run image`) unpacked as a locked-down runc
 * container, with a copy of the cluster's kubeconfig (credentials inline) in a directory only it can read, mounted
 * read-only at the same path (under /tmp: the image's /root is closed to its user). Fails with what to do when the
 * image or a tool is missing. `remove()` deletes the container, its bundle and the copy.
 */
export function demoControllerContainer(kubeconfig: string): {
  container: ControllerContainer;
  kubeconfig: string;
  remove(): void;
} {
  const missing = missingContainerTools();
  if (missing.length > 0) {
    throw new Error(`--controller-image needs ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}`);
  }
  const version = (
    JSON.parse(readFileSync(join(repoRoot, 'packages', 'controller', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const archive = controllerImageArchive(version);
  if (!archive) throw new Error(`--controller-image: no controller-${version}.oci.tar yet; build it: npm run image`);
  const dir = mkdtempSync(join(tmpdir(), 'linnet-demo-controller-'));
  const copy = join(dir, 'kubeconfig');
  copyFileSync(kubeconfig, copy);
  chownSync(dir, NONROOT, NONROOT);
  chownSync(copy, NONROOT, NONROOT);
  const container = prepareControllerContainer(archive, dir);
  return {
    container,
    kubeconfig: copy,
    remove: () => {
      container.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
