// Alerts end to end: a rollout and a rollback deliver Flagger's alerts to a loopback stand-in of every chat service
// (Slack through an AlertProvider's Secret with a bot token, Teams, Discord, Rocket.Chat through a proxy, Google
// Chat), each with the JSON shape that service accepts and the severities it subscribed to; a provider that hangs
// and one that answers 500 do not hold the canary up; a Canary without alerts uses the global provider of Flagger's
// flags (as its Helm chart renders them, proxy included). The same run is scraped by the testenv's Prometheus, and
// every query of the Grafana dashboard must parse there and return series.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addScrapeTarget, CONTROLLER_SCRAPE_JOB } from '@linnet/testenv';
import {
  applyObjects,
  explainWithControllerLog,
  loadTesterStandIn,
  recordCanaryStatus,
  seedCanary,
  seedDeployment,
  seedGateway,
  setImage,
  startAlertReceiver,
  startE2eSuite,
  startForwardProxy,
  startWebhookReceiver,
  testClusterEnv,
  waitForCanaryEvents,
  waitUntil,
  SuiteTeardown,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  SEED_IMAGE_V3,
  type AlertReceiver,
  type CanaryStatusRecorder,
  type ControllerProcess,
  type ForwardProxy,
  type ReceivedAlert,
} from './support/index.ts';
import type { KubeAccess, KubeObject } from '../../src/kube/index.ts';

const NAME = 'backend';
const THRESHOLD = 2;
const RUN_TIMEOUT_MS = 150_000;

const INITIALIZED = 'New Deployment detected, initialization completed.';
const NEW_REVISION = 'New revision detected, progressing canary analysis.';
const PROMOTED = 'Canary analysis completed successfully, promotion finished.';
const THRESHOLD_REACHED = `Failed checks threshold reached ${THRESHOLD}`;

/** Path of each stand-in on the receiver; the AlertProvider of the same name points at it. */
const PATHS = {
  slack: '/slack-from-secret',
  teams: '/teams',
  discord: '/discord',
  rocket: '/rocket',
  gchat: '/gchat',
  hanging: '/hang',
  failing: '/fail',
  global: '/global',
} as const;

describe('alerts delivered to every chat service', () => {
  let access: KubeAccess;
  let namespace: string;
  let controller: ControllerProcess;
  let recorder: CanaryStatusRecorder;
  let chat: AlertReceiver;
  let proxy: ForwardProxy;
  const teardown = new SuiteTeardown();

  beforeAll(async () => {
    chat = await startAlertReceiver();
    teardown.defer(() => chat.close());
    proxy = await startForwardProxy();
    teardown.defer(() => proxy.close());
    const hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
    teardown.defer(() => hooks.close());
    ({ access, namespace, controller } = await startE2eSuite(teardown, 'alerts', {
      // What Flagger's Helm chart renders with slack.* and the optional values set (msteams.url would take over).
      extraFlags: [
        `-slack-url=${chat.url(PATHS.global)}`,
        `-slack-proxy-url=${proxy.url}`,
        '-slack-user=flagger',
        '-slack-channel=general-alerts',
        '-cluster-name=e2e',
        '-ingress-class=nginx',
        '-kubeconfig-qps=100',
        '-kubeconfig-burst=250',
        '-enable-config-tracking=true',
        // The hanging receiver holds its first attempt open through the rollout.
        '-alert-timeout=150s',
      ],
    }));
    const removeTarget = await addScrapeTarget(process.env.LINNET_TESTENV_CLUSTER ?? 'current', {
      id: namespace,
      address: `127.0.0.1:${controller.port}`,
    });
    teardown.defer(async () => removeTarget());
    recorder = recordCanaryStatus(access, namespace, NAME);
    teardown.defer(() => recorder.stop());

    const canary = seedCanary({ namespace, rolloutWebhookUrl: hooks.url('/'), threshold: THRESHOLD, maxWeight: 20 });
    canary.spec.analysis = {
      ...canary.spec.analysis,
      alerts: [
        { name: 'slack', severity: 'info', providerRef: { name: 'slack' } },
        { name: 'teams', severity: 'info', providerRef: { name: 'teams', namespace } },
        { name: 'discord', severity: 'warn', providerRef: { name: 'discord' } },
        { name: 'rocket', severity: 'info', providerRef: { name: 'rocket' } },
        { name: 'gchat', severity: 'error', providerRef: { name: 'gchat' } },
        { name: 'hanging', severity: 'info', providerRef: { name: 'hanging' } },
        { name: 'failing', severity: 'info', providerRef: { name: 'failing' } },
        { name: 'broken', severity: 'error', providerRef: { name: 'broken' } },
      ],
    };
    await applyObjects(access, [
      ...seedGateway(),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'slack-webhook', namespace },
        stringData: {
          address: chat.url(PATHS.slack),
          token: 'xoxb-e2e-token',
          channel: 'deploys',
          username: 'linnet-e2e',
        },
      } as KubeObject,
      alertProvider(namespace, 'slack', { type: 'slack', secretRef: { name: 'slack-webhook' } }),
      alertProvider(namespace, 'teams', { type: 'msteams', address: chat.url(PATHS.teams) }),
      alertProvider(namespace, 'discord', { type: 'discord', address: chat.url(PATHS.discord) }),
      alertProvider(namespace, 'rocket', { type: 'rocket', address: chat.url(PATHS.rocket), proxy: proxy.url }),
      alertProvider(namespace, 'gchat', { type: 'gchat', address: chat.url(PATHS.gchat) }),
      alertProvider(namespace, 'hanging', { type: 'slack', address: chat.url(PATHS.hanging) }),
      alertProvider(namespace, 'failing', { type: 'msteams', address: chat.url(PATHS.failing) }),
      alertProvider(namespace, 'broken', { type: 'slack', secretRef: { name: 'no-such-secret' } }),
      seedDeployment({ namespace, image: SEED_IMAGE_V1 }),
      canary,
      // No alerts of its own: the global provider of the flags gets its alerts.
      seedDeployment({ namespace, name: 'plain', image: SEED_IMAGE_V1 }),
      seedCanary({ namespace, name: 'plain' }),
    ]);
    await recorder.waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });
  }, 90_000);

  afterAll(async () => {
    console.log(`alerts, namespace ${namespace}:\n${recorder?.table()}\ncontroller log: ${controller?.logFile}`);
    await teardown.run();
  });

  const why = (): string => explainWithControllerLog(recorder, controller);
  const firstLines = (alerts: ReceivedAlert[], text: (alert: ReceivedAlert) => unknown): string[] =>
    alerts.map((alert) => String(text(alert)).split('\n')[0] ?? '');
  const slackText = (alert: ReceivedAlert): unknown =>
    (alert.body.attachments as Array<{ text?: string }> | undefined)?.[0]?.text;
  const teamsText = (alert: ReceivedAlert): unknown =>
    (alert.body.sections as Array<{ activityTitle?: string }> | undefined)?.[0]?.activityTitle;

  it(
    'delivers a rollout and a rollback to each provider by severity, while a hanging and a failing one wait',
    async () => {
      await setImage(access, namespace, NAME, SEED_IMAGE_V2);
      await recorder.waitFor('phase Succeeded', (row) => row.status === 'Succeeded', { timeoutMs: RUN_TIMEOUT_MS });
      // The rollout went through while the hanging provider still held its very first alert: delivery is not on
      // the canary's path, and the other providers were not queued behind it.
      expect({ open: chat.open(PATHS.hanging), received: chat.received(PATHS.hanging).length, why: why() }).toEqual({
        open: 1,
        received: 1,
        why: why(),
      });
      await waitForAlerts(PATHS.slack, 3);
      expect(firstLines(chat.received(PATHS.slack), slackText)).toEqual([INITIALIZED, NEW_REVISION, PROMOTED]);

      await setImage(access, namespace, NAME, SEED_IMAGE_V3, { 'sim.linnet.dev/error-rate': '0.2' });
      await recorder.waitFor('phase Failed', (row) => row.status === 'Failed', { timeoutMs: RUN_TIMEOUT_MS });
      const everything = [INITIALIZED, NEW_REVISION, PROMOTED, NEW_REVISION, THRESHOLD_REACHED];
      await waitForAlerts(PATHS.slack, 5);
      await waitForAlerts(PATHS.teams, 5);
      await waitForAlerts(PATHS.rocket, 5);
      await waitForAlerts(`${PATHS.discord}/slack`, 1);
      await waitForAlerts(PATHS.gchat, 1);

      // Slack, through the AlertProvider's Secret: address, bot token, channel and user name all from the Secret.
      const slack = chat.received(PATHS.slack);
      expect(firstLines(slack, slackText)).toEqual(everything);
      for (const alert of slack) {
        expect(alert.headers.authorization).toBe('Bearer xoxb-e2e-token');
        expect(alert.headers['content-type']).toBe('application/json');
        expect(alert.body).toMatchObject(slackShape('deploys', 'linnet-e2e'));
      }
      expect(slack.map((alert) => slackColour(alert))).toEqual(['good', 'good', 'good', 'good', 'danger']);
      const rollback = slack[4]?.body.attachments as Array<{ text: string; fields: Array<{ title: string }> }>;
      // Linnet's explanation follows Flagger's text: which check failed, with its value.
      expect(rollback[0]?.text).toMatch(/^Failed checks threshold reached 2\nRolling back backend\.\S+ failed checks/);
      expect(rollback[0]?.fields.map((field) => field.title)).toEqual([
        'Cluster',
        'Target',
        'Failed checks threshold',
        'Progress deadline',
        'Traffic routing',
      ]);

      // Microsoft Teams: a MessageCard, red for the error.
      const teams = chat.received(PATHS.teams);
      expect(firstLines(teams, teamsText)).toEqual(everything);
      for (const alert of teams) expect(alert.body).toMatchObject(teamsShape(namespace));
      expect(teams.map((alert) => alert.body.themeColor)).toEqual(['0076D7', '0076D7', '0076D7', '0076D7', 'FF0000']);
      expect(teams.every((alert) => alert.headers.authorization === undefined)).toBe(true);

      // Rocket.Chat, through the proxy: Slack's layout with hex colours.
      const rocket = chat.received(PATHS.rocket);
      expect(firstLines(rocket, slackText)).toEqual(everything);
      expect(rocket.every((alert) => alert.proxied)).toBe(true);
      for (const alert of rocket) expect(alert.body).toMatchObject(slackShape('general', 'flagger'));
      expect(rocket.map((alert) => slackColour(alert))).toEqual([
        '#0076D7',
        '#0076D7',
        '#0076D7',
        '#0076D7',
        '#FF0000',
      ]);

      // Discord (severity warn) and Google Chat (severity error): only the rollback. Discord's Slack endpoint.
      expect(chat.received(PATHS.discord)).toEqual([]);
      const discord = chat.received(`${PATHS.discord}/slack`);
      expect(firstLines(discord, slackText)).toEqual([THRESHOLD_REACHED]);
      expect(discord[0]?.body).toMatchObject(slackShape('general', 'flagger'));
      const gchat = chat.received(PATHS.gchat);
      expect(gchat).toHaveLength(1);
      expect(gchat[0]?.body).toMatchObject({
        cards: [
          {
            header: { title: 'Linnet', subtitle: `${NAME}.${namespace}` },
            sections: expect.arrayContaining([
              {
                widgets: [
                  { textParagraph: { text: expect.stringContaining(`<strong>${THRESHOLD_REACHED}<br>`) as unknown } },
                ],
              },
            ]) as unknown,
          },
        ],
      });

      // The global provider of the flags: only the Canary without alerts, through -slack-proxy-url.
      const global = chat.received(PATHS.global);
      expect(firstLines(global, slackText)).toEqual([INITIALIZED]);
      expect(global[0]?.body).toMatchObject(slackShape('general-alerts', 'flagger'));
      expect((global[0]?.body.attachments as Array<{ author_name: string }>)[0]?.author_name).toBe(
        `plain.${namespace}`,
      );
      expect(global[0]?.proxied).toBe(true);
      expect(proxy.forwarded().length).toBe(rocket.length + global.length);

      // The failing provider: each alert tried three times, then counted failed.
      await controller.waitForMetric(`linnet_alerts_total{provider="${namespace}/failing",result="failed"} 5`, {
        timeoutMs: 60_000,
      });
      expect(chat.received(PATHS.failing)).toHaveLength(15);
      await controller.waitForMetric(`linnet_alerts_total{provider="${namespace}/slack",result="sent"} 5`, {
        timeoutMs: 10_000,
      });
      // A provider whose Secret is missing: counted invalid, and the log says what is wrong.
      await controller.waitForMetric(`linnet_alerts_total{provider="${namespace}/broken",result="invalid"} 1`, {
        timeoutMs: 10_000,
      });
      expect(controller.logs()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            message: 'alert not sent: the alert provider cannot be used',
            provider: `${namespace}/broken`,
            reason: 'AlertProviderInvalid',
            error: `AlertProvider ${namespace}/broken: Secret ${namespace}/no-such-secret not found`,
          }),
        ]),
      );
      // ... and a Warning event on the Canary says so too.
      const problem = `alert not sent: AlertProvider ${namespace}/broken: Secret ${namespace}/no-such-secret not found`;
      const events = await waitForCanaryEvents(access, namespace, NAME, [problem], { timeoutMs: 10_000 });
      expect(events.find((event) => event.message === problem)).toMatchObject({
        type: 'Warning',
        reason: 'AlertProviderInvalid',
      });
      // Logs name the provider, never its address or token.
      const log = readFileSync(controller.logFile, 'utf8');
      expect(log).toContain(`"provider":"${namespace}/failing"`);
      for (const secret of [chat.url(''), 'xoxb-e2e-token']) expect(log).not.toContain(secret);
    },
    2 * RUN_TIMEOUT_MS + 90_000,
  );

  it('has every query of the Grafana dashboard parse in Prometheus and return series from this run', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../../../deploy/grafana/linnet-canaries.json', import.meta.url), 'utf8'),
    ) as Dashboard;
    const queries = dashboardQueries(dashboard, namespace);
    expect(queries.length).toBeGreaterThanOrEqual(15);
    for (const { panel, expr } of queries) {
      await waitUntil(
        `series for "${panel}": ${expr}`,
        async () => {
          const answer = await prometheusQuery(expr);
          if (answer.status !== 'success')
            throw new Error(`"${panel}" does not parse: ${answer.error ?? ''} (${expr})`);
          return answer.data.result.length > 0 ? { done: true, value: undefined } : { done: false, seen: 'no series' };
        },
        { timeoutMs: 30_000, intervalMs: 1_000 },
      );
    }
  }, 120_000);

  async function waitForAlerts(path: string, count: number): Promise<void> {
    await waitUntil(
      `${count} alerts on ${path}`,
      () => {
        const seen = chat.received(path).length;
        return seen >= count ? { done: true, value: undefined } : { done: false, seen: `${seen}` };
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }
});

function alertProvider(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'AlertProvider',
    metadata: { name, namespace },
    spec,
  } as KubeObject;
}

/** What Slack's incoming webhooks accept (Discord's /slack endpoint and Rocket.Chat take the same). */
function slackShape(channel: string, username: string): Record<string, unknown> {
  return {
    channel,
    username,
    icon_emoji: ':rocket:',
    attachments: [
      {
        color: expect.any(String),
        author_name: expect.stringMatching(/^\S+\.\S+$/),
        text: expect.any(String),
        mrkdwn_in: ['text'],
        fields: expect.arrayContaining([{ title: 'Target', value: expect.any(String), short: false }]),
      },
    ],
  };
}

function slackColour(alert: ReceivedAlert): unknown {
  return (alert.body.attachments as Array<{ color?: string }>)[0]?.color;
}

/** A Microsoft Teams connector MessageCard. */
function teamsShape(namespace: string): Record<string, unknown> {
  return {
    '@type': 'MessageCard',
    '@context': 'http://schema.org/extensions',
    themeColor: expect.stringMatching(/^[0-9A-F]{6}$/),
    summary: `${NAME}.${namespace}`,
    sections: [
      {
        activityTitle: expect.any(String),
        activitySubtitle: `${NAME}.${namespace}`,
        facts: expect.arrayContaining([{ name: 'Cluster', value: 'e2e' }]),
      },
    ],
  };
}

interface Dashboard {
  panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; query?: string | { query: string } }> };
}

/**
 * The dashboard's PromQL with Grafana's variables filled in for this run, plus the template variables'
 * label_values(<selector>, <label>) as their selector (Grafana's own function, not PromQL).
 */
function dashboardQueries(dashboard: Dashboard, namespace: string): Array<{ panel: string; expr: string }> {
  const fill = (expr: string): string =>
    expr
      .replaceAll('$namespace', namespace)
      .replaceAll('$name', '.*')
      .replaceAll('$job', CONTROLLER_SCRAPE_JOB)
      .replaceAll('$__rate_interval', '1m')
      .replaceAll('$__range', '15m');
  const panels = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: fill(target.expr) })),
  );
  const variables = dashboard.templating.list.flatMap((variable) => {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const selector = query && /^label_values\((.+),\s*\w+\)$/.exec(query)?.[1];
    return selector ? [{ panel: `variable ${variable.name}`, expr: fill(selector) }] : [];
  });
  return [...panels, ...variables];
}

async function prometheusQuery(expr: string): Promise<{ status: string; error?: string; data: { result: unknown[] } }> {
  const url = `${testClusterEnv().prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as { status: string; error?: string; data: { result: unknown[] } };
}
