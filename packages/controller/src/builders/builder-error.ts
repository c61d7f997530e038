export type BuilderErrorReason =
  | 'CanaryIdentityIncomplete'
  | 'ServiceSpecMissing'
  | 'SelectorLabelMissing'
  | 'TargetTemplateMissing'
  | 'DelegationConflict'
  | 'VirtualServiceRoutesMissing';

/** A desired object cannot be built from its inputs; `reason` becomes the event or condition reason. */
export class BuilderError extends Error {
  readonly reason: BuilderErrorReason;
  constructor(reason: BuilderErrorReason, message: string) {
    super(message);
    this.name = 'BuilderError';
    this.reason = reason;
  }
}
