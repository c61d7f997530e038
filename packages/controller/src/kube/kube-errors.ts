// Typed failures of the Kubernetes access layer. `reason` is machine-readable (it can become an event or condition
// reason); for API answers it follows the API server's StatusReason.

export type KubeErrorReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  /** The API server could not be reached, or the connection broke. */
  | 'Unavailable'
  /** The caller aborted the request. */
  | 'Aborted'
  /** The server's answer could not be understood. */
  | 'InvalidResponse'
  /** A write that needs optimistic concurrency was asked for without metadata.resourceVersion. */
  | 'MissingResourceVersion'
  /** No usable credentials: the kubeconfig is missing, unreadable or incomplete. */
  | 'InvalidKubeconfig'
  | 'Unknown';

export class KubeError extends Error {
  readonly reason: KubeErrorReason;
  /** HTTP status code, when the API server answered. */
  readonly statusCode: number | undefined;

  constructor(reason: KubeErrorReason, message: string, statusCode?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeError';
    this.reason = reason;
    this.statusCode = statusCode;
  }

  /** Worth retrying unchanged: throttling, server trouble, or no connection. */
  get retryable(): boolean {
    return ['TooManyRequests', 'InternalError', 'ServiceUnavailable', 'Timeout', 'Unavailable'].includes(this.reason);
  }
}

/** 409 on an update: the object changed since it was read. Re-read, re-decide, write again. */
export class ConflictError extends KubeError {
  constructor(message: string, options?: ErrorOptions) {
    super('Conflict', message, 409, options);
    this.name = 'ConflictError';
  }
}

/** 409 on a create: an object with that name exists. */
export class AlreadyExistsError extends KubeError {
  constructor(message: string, options?: ErrorOptions) {
    super('AlreadyExists', message, 409, options);
    this.name = 'AlreadyExistsError';
  }
}

export class NotFoundError extends KubeError {
  constructor(message: string, options?: ErrorOptions) {
    super('NotFound', message, 404, options);
    this.name = 'NotFoundError';
  }
}

/** 410: the resourceVersion asked for is too old (compacted). A watcher must list again. */
export class GoneError extends KubeError {
  constructor(message: string, options?: ErrorOptions) {
    super('Gone', message, 410, options);
    this.name = 'GoneError';
  }
}

/** The fields of a metav1.Status that Linnet reads. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

const reasonByStatusCode: Readonly<Record<number, KubeErrorReason>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Build the typed error for a failed API answer (an HTTP error, or an ERROR event in a watch). */
export function kubeErrorFromStatus(statusCode: number, status: KubeStatus | undefined, context: string): KubeError {
  const message = `${context}: ${status?.message ?? `HTTP ${statusCode}`}`;
  if (statusCode === 409) {
    return status?.reason === 'AlreadyExists' ? new AlreadyExistsError(message) : new ConflictError(message);
  }
  if (statusCode === 404) return new NotFoundError(message);
  // "Expired" is what a list with an outdated continue token gets; both mean "start again from a fresh list".
  if (statusCode === 410 || status?.reason === 'Expired' || status?.reason === 'Gone') return new GoneError(message);
  const reason = reasonByStatusCode[statusCode] ?? (statusCode >= 500 ? 'InternalError' : 'Unknown');
  return new KubeError(reason, message, statusCode);
}

/** Parse a response body that should be a metav1.Status; anything else yields undefined. */
export function parseKubeStatus(body: string): KubeStatus | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && (parsed as KubeStatus).kind === 'Status') return parsed as KubeStatus;
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): the caller falls back to the HTTP status code.
  }
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeError && error.reason === 'NotFound';
}
