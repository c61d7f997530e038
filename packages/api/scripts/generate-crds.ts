// Writes the CRDs in deploy/crds and docs/crd-reference.md from the zod schemas. Run: npm run generate:crds
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles, REPOSITORY_ROOT } from './generated-files.ts';

for (const [path, content] of await generatedFiles()) {
  const target = fileURLToPath(new URL(path, REPOSITORY_ROOT));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote ${path}`);
}
