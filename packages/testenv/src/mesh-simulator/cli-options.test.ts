import { describe, it, expect } from '@jest/globals';
import { parseCliOptions } from './cli-options.ts';

describe('parseCliOptions', () => {
  it('reads the flags testenv passes and applies defaults', () => {
    expect(parseCliOptions(['--kubeconfig', '/run/admin.kubeconfig', '--port', '9464'], {})).toEqual({
      ok: true,
      options: {
        kubeconfig: '/run/admin.kubeconfig',
        port: 9464,
        host: '127.0.0.1',
        ratePerSecond: 10,
        matchFraction: 0.1,
        tickMs: 200,
        pollMs: 1000,
        seed: 1,
      },
    });
  });

  it('accepts overrides and falls back to $KUBECONFIG', () => {
    const parsed = parseCliOptions(['--port=0', '--rate', '25', '--seed', '7', '--tick-ms', '100'], {
      KUBECONFIG: '/k',
    });
    expect(parsed).toMatchObject({
      ok: true,
      options: { kubeconfig: '/k', port: 0, ratePerSecond: 25, seed: 7, tickMs: 100 },
    });
  });

  it('rejects missing, unknown and invalid flags', () => {
    expect(parseCliOptions(['--port', '1'], {})).toEqual({ ok: false, error: '--kubeconfig is required' });
    expect(parseCliOptions(['--kubeconfig', 'k'], {})).toEqual({ ok: false, error: '--port is required' });
    expect(parseCliOptions(['--kubeconfig', 'k', '--port', '1', '--rate', '-1'], {}).ok).toBe(false);
    expect(parseCliOptions(['--kubeconfig', 'k', '--port', '1', '--bogus'], {}).ok).toBe(false);
  });
});
