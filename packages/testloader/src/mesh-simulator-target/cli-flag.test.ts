import { describe, expect, it } from '@jest/globals';
import { parseCommandLine } from '../cli-flags.ts';

describe('--mesh-simulator-url', () => {
  it('is off by default', () => {
    const commandLine = parseCommandLine(['--port', '0'], {});
    expect(commandLine.ok && commandLine.value.action === 'run' && commandLine.value.config.meshSimulatorUrl).toBe(
      undefined,
    );
  });

  it('takes the simulator base URL', () => {
    const commandLine = parseCommandLine(['--mesh-simulator-url=http://127.0.0.1:34583'], {});
    expect(commandLine).toMatchObject({
      ok: true,
      value: { action: 'run', config: { meshSimulatorUrl: 'http://127.0.0.1:34583' } },
    });
  });

  it('refuses a value that is not an http(s) URL', () => {
    expect(parseCommandLine(['-mesh-simulator-url', '127.0.0.1:34583'], {})).toEqual({
      ok: false,
      error: '--mesh-simulator-url must be an http:// or https:// URL (got 127.0.0.1:34583)',
    });
  });
});
