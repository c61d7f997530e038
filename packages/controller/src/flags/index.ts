export * from './controller-options.ts';
export * from './parse-flags.ts';
