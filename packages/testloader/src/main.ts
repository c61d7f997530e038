import { readFile } from 'node:fs/promises';
import { argv, env, exit, stderr, stdout } from 'node:process';
import { parseCommandLine, USAGE } from './cli-flags.ts';
import { createTestLoaderLogger } from './logger.ts';
import { startTestLoader } from './test-loader.ts';
import { TESTLOADER_VERSION } from './version.ts';

/** Entry point: `node packages/testloader/src/main.ts --port 8080 [flags]` (see cli-flags.ts for the flags). */
async function main(): Promise<void> {
  const commandLine = parseCommandLine(argv.slice(2), env);
  if (!commandLine.ok) {
    stderr.write(`testloader: ${commandLine.error}\n\n${USAGE}`);
    exit(2);
  }
  if (commandLine.value.action === 'help') {
    stdout.write(USAGE);
    return;
  }
  if (commandLine.value.action === 'version') {
    stdout.write(`${TESTLOADER_VERSION}\n`);
    return;
  }
  const { config, logLevel, logEncoding, tokenFile } = commandLine.value;
  const logger = createTestLoaderLogger({ level: logLevel, encoding: logEncoding });

  let token = config.token;
  if (tokenFile !== undefined) {
    token = (await readFile(tokenFile, 'utf8')).trim();
    if (token === '') throw new Error(`token file ${tokenFile} is empty`);
  }

  const testLoader = await startTestLoader({ ...config, token }, logger);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`received ${signal}, shutting down`);
    testLoader.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${(error as Error).message}`);
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  stderr.write(`testloader: ${(error as Error).message}\n`);
  exit(1);
});
