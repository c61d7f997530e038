// Canaries for scenarios 4–8: small, explicit specs (each test states the whole analysis it is about) on top of
// the seed's Deployment, plus the steps every scenario repeats: set up a namespace with a target and its Canary,
// start a run, and tidy up.
import type { CanaryAnalysis, CanaryMetric, CanaryWebhook, WebhookType } from '@linnet/api';
import type { KubeAccess } from '../../../src/kube/index.ts';
import { applyObjects, listCanaryEvents, setImage, type CanaryEventRecord } from './cluster-objects.ts';
import { recordCanaryStatus, type CanaryStatusRecorder, type CanaryStatusRow } from './canary-status-recorder.ts';
import { seedDeployment, SEED_IMAGE_V1, type CanaryManifest, type SeedDeploymentOptions } from './seed-manifests.ts';

export interface ScenarioCanaryOptions {
  namespace: string;
  /** Canary, target Deployment and apex Service name. */
  name: string;
  analysis: CanaryAnalysis;
  /** Target name if it differs from `name` (e.g. a target that does not exist). */
  targetName?: string;
  /** spec.metricsServer. */
  metricsServer?: string;
  /** service.apex.annotations: land on the apex Service and the VirtualService (e.g. sim.linnet.dev/rate). */
  apexAnnotations?: Record<string, string>;
  progressDeadlineSeconds?: number;
}

export function scenarioCanary(options: ScenarioCanaryOptions): CanaryManifest {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      progressDeadlineSeconds: options.progressDeadlineSeconds ?? 300,
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: options.targetName ?? options.name },
      ...(options.metricsServer !== undefined && { metricsServer: options.metricsServer }),
      service: {
        name: options.name,
        port: 9898,
        ...(options.apexAnnotations && { apex: { annotations: options.apexAnnotations } }),
      },
      analysis: options.analysis,
    },
  };
}

/** Flagger's builtin success rate over `window` (≥ 10 s: several 1 s scrapes), passing at ≥ `min` %. */
export function successRate(window = '10s', min = 90): CanaryMetric {
  return { name: 'request-success-rate', interval: window, thresholdRange: { min } };
}

export function webhook(name: string, type: WebhookType, url: string, timeout = '5s'): CanaryWebhook {
  return { name, type, url, timeout };
}

/** The seed's Deployment, one replica (the scenarios are about the controller, not about scale). */
export function scenarioDeployment(options: SeedDeploymentOptions) {
  return seedDeployment({ replicas: 1, ...options });
}

export interface ScenarioCanary {
  readonly namespace: string;
  readonly name: string;
  readonly recorder: CanaryStatusRecorder;
}

/** Applies the target and its Canary, starts recording the Canary's status and waits until it is Initialized. */
export async function createInitializedCanary(
  access: KubeAccess,
  canary: CanaryManifest,
  deployment: Partial<SeedDeploymentOptions> = {},
  timeoutMs = 90_000,
): Promise<ScenarioCanary> {
  const namespace = canary.metadata?.namespace ?? '';
  const name = canary.metadata?.name ?? '';
  const recorder = recordCanaryStatus(access, namespace, name);
  await applyObjects(access, [scenarioDeployment({ namespace, name, ...deployment }), canary]);
  await recorder.waitFor(`${namespace}/${name} Initialized`, (row) => row.status === 'Initialized', { timeoutMs });
  return { namespace, name, recorder };
}

/** Starts a run as a user would: a new image (and a pod-template annotation so each call is a change). */
export async function startRun(access: KubeAccess, canary: ScenarioCanary, image: string): Promise<void> {
  await setImage(access, canary.namespace, canary.name, image, { 'e2e.linnet.dev/run': String(Date.now()) });
}

export { SEED_IMAGE_V1 };

/** Phases a run may pass through on its way to a promotion; none of them may appear in a run that must not promote. */
export const PROMOTION_PHASES: readonly string[] = ['Promoting', 'Finalising', 'Succeeded'];

/** Distinct consecutive canary weights of the rows in `phase` (e.g. the steps of an analysis). */
export function weightSteps(rows: readonly CanaryStatusRow[], phase = 'Progressing'): number[] {
  const steps: number[] = [];
  for (const row of rows) if (row.status === phase && steps.at(-1) !== row.weight) steps.push(row.weight);
  return steps;
}

/** The phases a Canary went through, consecutive repeats collapsed. */
export function phaseSequence(rows: readonly CanaryStatusRow[]): string[] {
  const phases: string[] = [];
  for (const row of rows) if (phases.at(-1) !== row.status) phases.push(row.status);
  return phases;
}

/** The phase sequence from the first time `phase` was entered (inclusive); [] if it never was. */
export function phasesSince(rows: readonly CanaryStatusRow[], phase: string): string[] {
  const phases = phaseSequence(rows);
  const start = phases.indexOf(phase);
  return start < 0 ? [] : phases.slice(start);
}

/** For failure messages: the status table plus the Canary's events. */
export function explainRun(recorder: CanaryStatusRecorder, events: readonly CanaryEventRecord[] = []): string {
  const eventLines = events.map((event) => `  ${event.time} ${event.type} x${event.count} ${event.message}`);
  return `${recorder.table()}\nevents:\n${eventLines.join('\n')}`;
}

/** explainRun with the Canary's events read now. */
export async function explainCanary(access: KubeAccess, canary: ScenarioCanary): Promise<string> {
  const events = await listCanaryEvents(access, canary.namespace, canary.name).catch(() => []);
  return `${canary.namespace}/${canary.name}:\n${explainRun(canary.recorder, events)}`;
}

/** explainCanary plus the route history of its VirtualService (e.g. ["100/0", "0/100"]), for tests about routes. */
export function explainWithRoutes(
  access: KubeAccess,
  canary: ScenarioCanary,
  routeHistory: () => readonly (string | number)[],
): () => Promise<string> {
  return async () => `${await explainCanary(access, canary)}\nVirtualService: ${routeHistory().join(' -> ')}`;
}

/**
 * Runs assertions and, if one fails, appends `context` (e.g. explainRun's table and events) to its message, so a
 * failing e2e run explains itself.
 */
export async function withContext(context: () => string | Promise<string>, assertions: () => unknown): Promise<void> {
  try {
    await assertions();
  } catch (error) {
    if (error instanceof Error) error.message += `\n\n${await context()}`;
    throw error;
  }
}
