export { parseCommandLine, TOKEN_ENV_VARIABLE, USAGE, type CommandLine } from './cli-flags.ts';
export { createCommandAllowlist, type CommandAllowlist } from './command-allowlist.ts';
export { createMemoryGateStore, gateKey, openFileGateStore, rollbackGateKey, type GateStore } from './gate-store.ts';
export { isHeyProgram, parseHeyCommand, type HeyCommand } from './hey-command.ts';
export { parseLoadMetadata } from './load-metadata.ts';
export { runLoad, type LoadProgress, type LoadResult, type LoadRunOptions } from './load-runner.ts';
export type { LoadSpec } from './load-spec.ts';
export { createTestLoaderLogger, type LogLevel } from './logger.ts';
export { planTask, type TaskPlan, type TaskPolicy } from './task-plan.ts';
export {
  DEFAULT_TESTLOADER_CONFIG,
  startTestLoader,
  type RunningTestLoader,
  type TestLoaderConfig,
} from './test-loader.ts';
export { TESTLOADER_VERSION } from './version.ts';
