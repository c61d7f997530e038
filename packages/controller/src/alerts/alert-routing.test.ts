import { describe, expect, it } from '@jest/globals';
import type { CanaryAlertMessage } from '@linnet/core';
import type { CanaryResource } from '../reconcile/cluster-types.ts';
import type { AlertDestination } from './alert-notice.ts';
import { receivesSeverity } from './alert-notice.ts';
import { routeAlerts, routeName } from './alert-routing.ts';

const canary = (
  alerts?: Array<{ severity?: '' | 'info' | 'warn' | 'error'; providerRef: { name: string; namespace?: string } }>,
): CanaryResource =>
  ({
    metadata: { name: 'backend', namespace: 'shop' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
      analysis: { ...(alerts && { alerts: alerts.map((alert, index) => ({ name: `a${index}`, ...alert })) }) },
    },
  }) as CanaryResource;

const alert = (severity: CanaryAlertMessage['severity'], message = `a ${severity} alert`): CanaryAlertMessage => ({
  severity,
  message,
  fields: [{ title: 'Target', value: 'Deployment/backend.shop' }],
});

const slackFlags: AlertDestination = {
  provider: 'flags/slack',
  type: 'slack',
  url: 'https://hooks.slack.com/services/x',
  username: 'flagger',
  channel: 'ops',
};

describe('receivesSeverity', () => {
  it('lets info subscriptions receive everything, warn receive warn and error, error only errors', () => {
    const table = (['info', 'warn', 'error'] as const).map((subscribed) =>
      (['info', 'warn', 'error'] as const).filter((severity) => receivesSeverity(subscribed, severity)),
    );
    expect(table).toEqual([['info', 'warn', 'error'], ['warn', 'error'], ['error']]);
  });
});

describe('routeAlerts', () => {
  it("sends each alert to the providers whose severity lets it through, in the Canary's namespace by default", () => {
    const jobs = routeAlerts(
      canary([
        { severity: 'error', providerRef: { name: 'pager' } },
        { severity: 'info', providerRef: { name: 'chat', namespace: 'ops' } },
        { severity: '', providerRef: { name: 'empty-severity' } },
      ]),
      [alert('info'), alert('error')],
      '',
      { clusterName: '' },
    );
    expect(jobs.map((job) => `${routeName(job.route)} ← ${job.notice.text}`)).toEqual([
      'ops/chat ← a info alert',
      'shop/empty-severity ← a info alert',
      'shop/pager ← a error alert',
      'ops/chat ← a error alert',
      'shop/empty-severity ← a error alert',
    ]);
  });

  it('uses the global provider only for Canaries without alerts, for every severity', () => {
    expect(routeAlerts(canary(), [alert('info')], '', { clusterName: '', globalDestination: slackFlags })).toEqual([
      { route: { kind: 'global', destination: slackFlags }, notice: expect.objectContaining({ severity: 'info' }) },
    ]);
    expect(routeAlerts(canary(), [alert('info')], '', { clusterName: '' })).toEqual([]);
    const withOwn = canary([{ severity: 'info', providerRef: { name: 'chat' } }]);
    expect(
      routeAlerts(withOwn, [alert('info')], '', { clusterName: '', globalDestination: slackFlags }).map(
        (job) => job.route.kind,
      ),
    ).toEqual(['provider']);
  });

  it("adds the cluster name first and Linnet's explanation to the text when it says more than the alert", () => {
    const [job] = routeAlerts(
      canary(),
      [alert('error', 'Failed checks threshold reached 2')],
      'Rolling back backend.shop failed checks threshold reached 2 (last failed check: success rate 80.00% < 99%)',
      { clusterName: 'prod-eu', globalDestination: slackFlags },
    );
    expect(job?.notice).toEqual({
      canary: { name: 'backend', namespace: 'shop' },
      severity: 'error',
      text: 'Failed checks threshold reached 2\nRolling back backend.shop failed checks threshold reached 2 (last failed check: success rate 80.00% < 99%)',
      fields: [
        { title: 'Cluster', value: 'prod-eu' },
        { title: 'Target', value: 'Deployment/backend.shop' },
      ],
    });
    const [plain] = routeAlerts(canary(), [alert('info', 'Canary is waiting for approval.')], 'Nothing to do', {
      clusterName: '',
      globalDestination: slackFlags,
    });
    expect(plain?.notice.text).toBe('Canary is waiting for approval.');
  });
});
