// The set-up and teardown every e2e suite repeats: a KubeAccess, a fresh namespace, a controller watching only it,
// and whatever the tests start later (status recorders, load jobs, webhook receivers, more controllers). Each thing
// registers its own undo when it is started, so a beforeAll that failed half-way still tears down what it made.
import type { KubeAccess } from '../../../src/kube/index.ts';
import type { CanaryStatusRecorder } from './canary-status-recorder.ts';
import { startController, type ControllerProcess, type ControllerProcessOptions } from './controller-process.ts';
import { SuiteLoadJobs } from './scenario-probes.ts';
import { createTestNamespace, deleteTestNamespace, testKubeAccess } from './test-cluster.ts';

/** What a suite started, undone in afterAll (`await teardown.run()`). */
export class SuiteTeardown {
  /** Simulator load jobs the tests start; stopped first, so no traffic outlives the suite's objects. */
  readonly loadJobs = new SuiteLoadJobs();
  private readonly steps: Array<() => Promise<unknown>> = [];

  /** Registers an undo step. Steps run last-registered first: a recorder stops before its controller and namespace. */
  defer(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    await this.loadJobs.stopAll();
    for (const step of this.steps.splice(0).reverse()) await step();
  }
}

export interface E2eSuite {
  readonly access: KubeAccess;
  readonly namespace: string;
  /** Watches only `namespace`. */
  readonly controller: ControllerProcess;
}

/** Creates a fresh namespace `<prefix>-<hex>`, deleted at teardown. */
export async function createSuiteNamespace(
  teardown: SuiteTeardown,
  access: KubeAccess,
  prefix: string,
): Promise<string> {
  const namespace = await createTestNamespace(access, prefix);
  teardown.defer(() => deleteTestNamespace(access, namespace));
  return namespace;
}

/** Starts a controller (stopped at teardown). */
export async function startSuiteController(
  teardown: SuiteTeardown,
  options: ControllerProcessOptions,
): Promise<ControllerProcess> {
  const controller = await startController(options);
  teardown.defer(() => controller.stop());
  return controller;
}

/** The usual beforeAll: a namespace and a controller watching only it, both undone by `teardown`. */
export async function startE2eSuite(
  teardown: SuiteTeardown,
  namespacePrefix: string,
  controllerOptions: Omit<ControllerProcessOptions, 'namespace'> = {},
): Promise<E2eSuite> {
  const access = testKubeAccess();
  const namespace = await createSuiteNamespace(teardown, access, namespacePrefix);
  const controller = await startSuiteController(teardown, { namespace, ...controllerOptions });
  return { access, namespace, controller };
}

/** For failure messages of the seed suites: the Canary's status rows and the end of the controller's log. */
export function explainWithControllerLog(recorder: CanaryStatusRecorder, controller: ControllerProcess): string {
  return `\nstatus rows:\n${recorder.table()}\ncontroller log (${controller.logFile}):\n${controller.tail(40)}`;
}
