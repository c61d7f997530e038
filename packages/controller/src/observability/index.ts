export * from './logger.ts';
export * from './metrics-registry.ts';
export * from './controller-metrics.ts';
export * from './runtime-metrics.ts';
export * from './metric-thresholds.ts';
