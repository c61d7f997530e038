export * from './timers.ts';
export * from './rate-limiter.ts';
export * from './work-queue.ts';
export * from './worker-pool.ts';
