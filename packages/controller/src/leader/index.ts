export * from './lease-record.ts';
export * from './lease-decision.ts';
export * from './lease-elector.ts';
export * from './leadership-term.ts';
export * from './fenced-kube-access.ts';
