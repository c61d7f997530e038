// What the analysis needs from a metrics backend: one number per query, and a clear account of why there is none.

export interface MetricSeriesValue {
  labels: Record<string, string>;
  value: number;
}

/** Machine reasons of a failed query, usable as event reasons. */
export type MetricQueryErrorReason =
  | 'MetricQueryFailed'
  | 'MetricsProviderUnreachable'
  | 'MetricQueryTimedOut'
  | 'MetricQueryAborted'
  | 'MetricQueryAnswerTooLarge'
  | 'MetricsProviderInvalidAnswer'
  | 'MetricQueryReturnedNaN'
  | 'MetricQueryReturnedInfinity'
  | 'MetricQueryReturnedRange'
  | 'MetricQueryReturnedString';

/**
 * The outcome of one instant query. Flagger folds "empty" and "NaN" into "no values found" and uses the last of
 * several series; the variants are kept apart here so the core can explain exactly what happened. A single NaN or
 * ±Inf is an error saying which (MetricQueryReturnedNaN / MetricQueryReturnedInfinity): the check fails, as NaN
 * does in Flagger, without being mistaken for an empty answer.
 */
export type MetricQueryResult =
  /** One finite number. */
  | { kind: 'value'; value: number }
  /** Empty instant vector: usually no traffic reached the workload, or the labels do not match. */
  | { kind: 'no-values' }
  /** More than one series; `lastValue` is the one Flagger would use. */
  | { kind: 'multiple-series'; series: MetricSeriesValue[]; lastValue: number }
  | { kind: 'error'; reason: MetricQueryErrorReason; message: string };

export interface MetricQueryOptions {
  /** Ends the query at once (a deleted Canary, a new revision, a lost leadership term); reported as MetricQueryAborted. */
  signal?: AbortSignal | undefined;
}

export interface MetricsProvider {
  /** The backend type, for messages ("no values found for prometheus metric …"). */
  readonly type: 'prometheus';
  /** The backend address the queries go to (credentials never included). */
  readonly address: string;
  /** Runs an instant query now, bounded by the provider's timeout; never throws — failures are `{ kind: 'error' }`. */
  query(promql: string, options?: MetricQueryOptions): Promise<MetricQueryResult>;
  /** True when the backend answers `vector(1)` with 1, as Flagger's startup and init checks do. */
  isOnline(): Promise<boolean>;
}
