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
  | 'MetricQueryReturnedRange'
  | 'MetricQueryReturnedString';

/**
 * The outcome of one instant query. Flagger folds "empty" and "NaN" into "no values found" and uses the last of
 * several series; the variants are kept apart here so the core can explain exactly what happened.
 */
export type MetricQueryResult =
  | { kind: 'value'; value: number }
  /** Empty instant vector: usually no traffic reached the workload, or the labels do not match. */
  | { kind: 'no-values' }
  /** The query evaluated to NaN, e.g. a success rate of 0/0 when the workload got no requests in the window. */
  | { kind: 'nan' }
  /** More than one series; `lastValue` is the one Flagger would use. */
  | { kind: 'multiple-series'; series: MetricSeriesValue[]; lastValue: number }
  | { kind: 'error'; reason: MetricQueryErrorReason; message: string };

export interface MetricQueryOptions {
  /** Cancels the query (the Canary was deleted, its revision changed or leadership was lost). */
  signal?: AbortSignal;
}

export interface MetricsProvider {
  /** The backend type, for messages ("no values found for prometheus metric …"). */
  readonly type: 'prometheus';
  /** The backend address the queries go to (credentials never included). */
  readonly address: string;
  /** Runs an instant query now; never throws — failures are `{ kind: 'error' }`. */
  query(promql: string, options?: MetricQueryOptions): Promise<MetricQueryResult>;
  /** True when the backend answers `vector(1)` with 1, as Flagger's startup and init checks do. */
  isOnline(): Promise<boolean>;
}
