// Shared harness of the controller's end-to-end suites (packages/controller/test/e2e/*.e2e.ts). Each suite:
//   const teardown = new SuiteTeardown();
//   const { access, namespace, controller } = await startE2eSuite(teardown, 'seed');
//   const recorder = recordCanaryStatus(access, namespace, 'backend');
//   teardown.defer(() => recorder.stop());
//   await applyObjects(access, [seedDeployment({ namespace }), seedCanary({ namespace, rolloutWebhookUrl })]);
//   await recorder.waitFor('Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });
// and in afterAll `await teardown.run()` stops the recorder and controller and deletes the namespace.
export * from './deadline.ts';
export * from './test-cluster.ts';
export * from './seed-manifests.ts';
export * from './cluster-objects.ts';
export * from './canary-status-recorder.ts';
export * from './controller-process.ts';
export * from './webhook-receiver.ts';
export * from './mesh-simulator-load.ts';
export * from './e2e-suite.ts';
export * from './alert-receivers.ts';
export * from './test-secrets.ts';
