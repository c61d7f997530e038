// `npm run bundle:controller`: the controller as plain JavaScript in packages/controller/build/ (main.mjs and the
// chunks it loads on demand), what the image runs. Node 24 can run the TypeScript sources directly, but type
// stripping keeps its WebAssembly compiler loaded for the whole process: about 30 MiB more resident memory
// (docs/benchmarks.md, "Footprint next to Flagger"). Linnet's own workspaces (@linnet/*) are bundled; npm packages
// stay imports, resolved from node_modules at run time, so the image keeps the dependency tree npm installed (and
// its SBOM). Not minified: stack traces in the logs keep their names.
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(packageDir, 'build');

/** npm packages other than Linnet's own workspaces are left as imports. */
const dependenciesExternal: Plugin = {
  name: 'dependencies-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@linnet/') ? undefined : { path: args.path, external: true },
    );
  },
};

const started = Date.now();
rmSync(buildDir, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: join(packageDir, 'src', 'main.ts') },
  outdir: buildDir,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  legalComments: 'none',
  plugins: [dependenciesExternal],
  metafile: true,
  logLevel: 'warning',
});
const files = Object.keys(result.metafile.outputs);
const size = files.reduce((total, file) => total + statSync(file).size, 0) / 1024;
process.stdout.write(
  `${join(buildDir, 'main.mjs')} (+ ${files.length - 1} chunks): ${size.toFixed(0)} KiB in ${Date.now() - started} ms\n`,
);
