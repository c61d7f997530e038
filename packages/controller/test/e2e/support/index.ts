// Shared harness of the controller's end-to-end suites (packages/controller/test/e2e/*.e2e.ts). Each suite:
//   const access = testKubeAccess();
//   const namespace = await createTestNamespace(access, 'seed');
//   const controller = await startController({ namespace });
//   const recorder = recordCanaryStatus(access, namespace, 'backend');
//   await applyObjects(access, [seedDeployment({ namespace }), seedCanary({ namespace, rolloutWebhookUrl })]);
//   await recorder.waitFor('Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });
// and in afterAll stops the recorder and controller and deletes the namespace.
export * from './deadline.ts';
export * from './test-cluster.ts';
export * from './seed-manifests.ts';
export * from './cluster-objects.ts';
export * from './canary-status-recorder.ts';
export * from './controller-process.ts';
export * from './webhook-receiver.ts';
export * from './mesh-simulator-load.ts';
