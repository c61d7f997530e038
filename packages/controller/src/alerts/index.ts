// Alert delivery to chat services (docs/alerting.md): routing by AlertProvider and severity, Flagger's message
// formats, and a bounded dispatcher that runs outside the reconcile.
export * from './alert-notice.ts';
export * from './alert-payloads.ts';
export * from './alert-routing.ts';
export * from './alert-destinations.ts';
export * from './alert-dispatcher.ts';
export * from './post-alert.ts';
