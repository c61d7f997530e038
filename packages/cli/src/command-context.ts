import { ClusterClient } from './cluster/cluster-client.ts';
import type { CliOptions } from './cli-options.ts';

/** Where a command writes: process streams in production, buffers in tests. */
export interface CliOutput {
  write(text: string): void;
  /** A terminal: `watch` redraws in place and fits lines to `columns`. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Standard input, for `-f -`. */
  readStdin(): Promise<string>;
  /** Aborted on SIGINT/SIGTERM: long-running commands end cleanly. */
  interrupt: AbortSignal;
}

export interface CommandContext {
  args: string[];
  options: CliOptions;
  io: CliIo;
  now(): Date;
  /** The cluster connection, made on first use (convert never needs one). */
  client(): ClusterClient;
  /** -n, else the kubeconfig context's namespace. */
  namespace(): string;
}

export function createCommandContext(args: string[], options: CliOptions, io: CliIo): CommandContext {
  let client: ClusterClient | undefined;
  const connect = (): ClusterClient =>
    (client ??= ClusterClient.connect({
      ...(options.kubeconfig && { kubeconfig: options.kubeconfig }),
      ...(options.context && { context: options.context }),
    }));
  return {
    args,
    options,
    io,
    now: () => new Date(),
    client: connect,
    namespace: () => options.namespace ?? connect().contextNamespace(),
  };
}
