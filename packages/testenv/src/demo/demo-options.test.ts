import { describe, expect, it } from '@jest/globals';
import { parseDemoOptions } from './demo-options.ts';

describe('npm run demo options', () => {
  it('defaults to the local cluster "current", stopping the processes at the end', () => {
    expect(parseDemoOptions([])).toEqual({
      ok: true,
      options: {
        mode: 'local',
        keep: false,
        annotations: false,
        stopOnly: false,
        help: false,
        clusterName: 'current',
        kubeconfig: undefined,
        metricsServer: undefined,
        loadTesterUrl: undefined,
        controllerImage: false,
        realNode: false,
      },
    });
  });

  it('--real-node uses its own local cluster (current-node) and runs the controller in it only', () => {
    expect(parseDemoOptions(['--real-node'])).toMatchObject({
      ok: true,
      options: { mode: 'local', realNode: true, clusterName: 'current-node' },
    });
    expect(parseDemoOptions(['--real-node', '--cluster-name', 'n'])).toMatchObject({ options: { clusterName: 'n' } });
    for (const other of ['--external', '--controller-image', '--annotations']) {
      expect(parseDemoOptions(['--real-node', other])).toEqual({
        ok: false,
        error: expect.stringMatching(/--real-node runs the controller as a pod/),
      });
    }
  });

  it('--controller-image runs the controller image on the local cluster only, and not with --keep', () => {
    expect(parseDemoOptions(['--controller-image'])).toMatchObject({ ok: true, options: { controllerImage: true } });
    expect(parseDemoOptions(['--controller-image', '--external'])).toMatchObject({ ok: false });
    expect(parseDemoOptions(['--controller-image', '--keep'])).toEqual({
      ok: false,
      error: expect.stringMatching(/--kubeconfig\/--external, --keep or --annotations/),
    });
  });

  it('--keep, --stop and --cluster-name', () => {
    expect(parseDemoOptions(['--keep', '--cluster-name', 'demo'])).toMatchObject({
      ok: true,
      options: { mode: 'local', keep: true, clusterName: 'demo' },
    });
    expect(parseDemoOptions(['--stop'])).toMatchObject({ ok: true, options: { stopOnly: true } });
  });

  it('--annotations selects the annotation path, on the local cluster only', () => {
    expect(parseDemoOptions(['--annotations'])).toMatchObject({ ok: true, options: { annotations: true } });
    expect(parseDemoOptions(['--annotations', '--external'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('local cluster only'),
    });
  });

  it('--kubeconfig or --external select a cluster of yours', () => {
    expect(parseDemoOptions(['--kubeconfig=/tmp/k'])).toMatchObject({
      ok: true,
      options: { mode: 'external', kubeconfig: '/tmp/k' },
    });
    expect(
      parseDemoOptions([
        '--external',
        '--metrics-server',
        'http://127.0.0.1:9090',
        '--load-tester-url=http://127.0.0.1:8080/',
      ]),
    ).toMatchObject({
      ok: true,
      options: {
        mode: 'external',
        kubeconfig: undefined,
        metricsServer: 'http://127.0.0.1:9090',
        loadTesterUrl: 'http://127.0.0.1:8080/',
      },
    });
  });

  it.each([
    [['--frobnicate'], 'unknown argument "--frobnicate"'],
    [['--kubeconfig'], '--kubeconfig needs a value'],
    [['--metrics-server', 'http://p:9090'], '--metrics-server and --load-tester-url are for a cluster of yours'],
    [['--external', '--cluster-name', 'x'], '--cluster-name names a local cluster'],
    [['--external', '--metrics-server', 'prometheus:9090'], '--metrics-server must be an http:// or https:// URL'],
    [['--cluster-name', '../x'], 'invalid cluster name'],
  ])('refuses %j', (args, message) => {
    const parsed = parseDemoOptions(args);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toContain(message);
  });
});
