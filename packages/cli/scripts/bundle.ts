// `npm run bundle -w packages/cli`: the `linnet` command as plain JavaScript in packages/cli/build/ (linnet.mjs and
// the chunks it loads on demand) that runs on Node 20 or newer from any directory: no TypeScript, no node_modules.
// `--help`, `--version` and `convert` load only their own chunk; the Kubernetes client is loaded by the commands
// that talk to a cluster. Install the directory and link linnet.mjs as `linnet` and `kubectl-linnet` (docs/cli.md).
import { chmodSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(packageDir, 'build');
const bundleFile = join(buildDir, 'linnet.mjs');

const started = Date.now();
rmSync(buildDir, { recursive: true, force: true });
await build({
  entryPoints: { linnet: join(packageDir, 'src', 'main.ts') },
  outdir: buildDir,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // The CJS dependencies inside an ES module need `require` (the shebang comes from src/main.ts).
  banner: {
    js: "import { createRequire as linnetCreateRequire } from 'node:module';\nconst require = linnetCreateRequire(import.meta.url);",
  },
  // client-node imports undici (Node 22 or newer) for its fetch API; the CLI sends requests through node:https.
  alias: { undici: join(packageDir, 'scripts', 'undici-unavailable.ts') },
  logLevel: 'warning',
});
chmodSync(bundleFile, 0o755);
const files = [bundleFile, ...readdirSync(join(buildDir, 'chunks')).map((file) => join(buildDir, 'chunks', file))];
const size = files.reduce((total, file) => total + statSync(file).size, 0) / 1024 / 1024;
process.stdout.write(
  `${bundleFile} (+ ${files.length - 1} chunks): ${size.toFixed(1)} MiB in ${Date.now() - started} ms\n`,
);
