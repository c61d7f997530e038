export * from './readiness.ts';
export * from './health-server.ts';
