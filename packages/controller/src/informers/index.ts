export * from './cache-transform.ts';
export * from './object-store.ts';
export * from './restart-backoff.ts';
export * from './informer.ts';
export * from './informer-group.ts';
export * from './multi-namespace-informer.ts';
