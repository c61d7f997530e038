import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';

/**
 * The walkthrough's own commands, run with a real kubectl (testenv builds the apiserver's version): render and apply
 * the example, change the image, follow the Canary with `get -w`, describe it, and run `kubectl linnet` as a plugin.
 */
export class DemoKubectl {
  readonly binary: string;
  private readonly kubeconfig: string | undefined;
  /** Put first on kubectl's PATH: where `kubectl-linnet` is, for the plugin. */
  private readonly pluginDir: string | undefined;

  constructor(options: { binary: string; kubeconfig: string | undefined; pluginDir?: string }) {
    this.binary = options.binary;
    this.kubeconfig = options.kubeconfig;
    this.pluginDir = options.pluginDir;
  }

  private env(): Record<string, string> {
    const path = [this.pluginDir, process.env.PATH].filter(Boolean).join(delimiter);
    return { PATH: path, ...(this.kubeconfig ? { KUBECONFIG: this.kubeconfig } : {}) };
  }

  /** Runs `kubectl <args>`; fails with the command line and kubectl's stderr. */
  async run(args: readonly string[], input?: string): Promise<string> {
    const result = await execa(this.binary, args, {
      env: this.env(),
      timeout: 60_000,
      reject: false,
      ...(input === undefined ? {} : { input }),
    });
    if (result.exitCode !== 0 || result.timedOut) {
      const why = result.timedOut ? 'timed out after 60 s' : `exit code ${result.exitCode}`;
      throw new Error(`kubectl ${args.join(' ')} failed (${why}): ${String(result.stderr).trim()}`);
    }
    return String(result.stdout);
  }

  /** Starts `kubectl <args>` (e.g. `get canary -w`) with its output appended to `file`; `stop()` ends it. */
  follow(args: readonly string[], file: string): { stop(): Promise<void>; output(): string } {
    const child = execa(this.binary, args, {
      env: this.env(),
      stdout: { file, append: true },
      stderr: { file, append: true },
      reject: false,
    });
    return {
      output: () => (existsSync(file) ? readFileSync(file, 'utf8') : ''),
      stop: async () => {
        child.kill('SIGTERM');
        await child;
      },
    };
  }
}

/**
 * A directory holding `kubectl-linnet`, linked to the bundled CLI (packages/cli/build/linnet.mjs), built with the
 * current Node if it is missing. kubectl finds plugins on its PATH.
 */
export async function linnetPluginDir(repoRoot: string, runDir: string): Promise<string> {
  const cliDir = join(repoRoot, 'packages', 'cli');
  const bundle = join(cliDir, 'build', 'linnet.mjs');
  if (!existsSync(bundle)) {
    await execa(process.execPath, [join(cliDir, 'scripts', 'bundle.ts')], { timeout: 120_000 });
  }
  const dir = join(runDir, 'bin');
  mkdirSync(dir, { recursive: true });
  symlinkSync(bundle, join(dir, 'kubectl-linnet'));
  return dir;
}
