// Annotation opt-in: a Canary generated and kept for every workload annotated linnet.dev/canary: enabled.
export * from './desired-opt-in-canary.ts';
export * from './plan-opt-in-change.ts';
export * from './annotation-opt-in.ts';
export * from './kube-opt-in-deps.ts';
export * from './private-test-loader-objects.ts';
export * from './private-test-loader-writer.ts';
export * from './private-test-loader-token.ts';
