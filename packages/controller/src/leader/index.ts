export * from './lease-record.ts';
export * from './lease-decision.ts';
export * from './lease-elector.ts';
