import { latencyQuantileMs } from './latency-distribution.ts';
import type { RandomSource } from './random.ts';
import type { TrafficFlow } from './traffic-plan.ts';

/**
 * Turns flow rates into simulated requests, one tick at a time, without real HTTP.
 *
 * Counts use expected-value attribution (error diffusion): each flow carries the fractional request it could not
 * emit last tick, and likewise each flow's fractional error. So over any run of ticks a flow emits rate × time
 * requests and errorRate × requests errors, each within ±1 — a 5 % error rate reads as 5 % in a 30 s rate() window,
 * not 5 % ± sampling noise.
 *
 * Latencies use randomised quasi-Monte Carlo: each workload walks the golden-ratio (Kronecker) sequence
 * u ← frac(u + 0.618…) from a seeded random start and maps u through the inverse CDF of its latency distribution.
 * Any run of consecutive requests then fills the histogram buckets within a couple of requests of their expected
 * counts, so histogram_quantile converges in seconds rather than minutes.
 *
 * The seeded randomness only picks starting phases (request, error and latency), so flows do not all fire on the
 * same tick; given the seed and the same tick times, output is fully deterministic.
 */

const GOLDEN_RATIO_CONJUGATE = 0.6180339887498949;
/** Keeps u away from 0 and 1, where the inverse normal CDF is infinite. */
const EDGE = 1e-12;

export const SUCCESS_CODE = 200;

export interface RequestBatch {
  readonly flow: TrafficFlow;
  readonly responseCode: number;
  readonly latenciesMs: readonly number[];
}

interface FlowState {
  requestCarry: number;
  errorCarry: number;
}

export class RequestAttributor {
  private readonly random: RandomSource;
  private readonly flowStates = new Map<string, FlowState>();
  private readonly latencyPhases = new Map<string, number>();

  constructor(random: RandomSource) {
    this.random = random;
  }

  /** Requests of every flow during [fromMs, toMs). State of flows absent from `flows` is forgotten. */
  attribute(flows: readonly TrafficFlow[], fromMs: number, toMs: number): RequestBatch[] {
    const batches: RequestBatch[] = [];
    const liveFlows = new Set<string>();
    const liveWorkloads = new Set<string>();
    for (const flow of flows) {
      const workloadKey = `${flow.destination.namespace}/${flow.destination.workload}`;
      liveFlows.add(flow.key);
      liveWorkloads.add(workloadKey);
      const start = Math.max(fromMs, flow.activeFromMs ?? -Infinity);
      const end = Math.min(toMs, flow.activeUntilMs ?? Infinity);
      const seconds = Math.max(0, end - start) / 1000;
      const state = this.stateOf(flow.key);
      state.requestCarry += flow.ratePerSecond * seconds;
      const requests = Math.floor(state.requestCarry);
      state.requestCarry -= requests;
      if (requests === 0) continue;
      state.errorCarry += requests * flow.behaviour.errorRate;
      const errors = Math.min(requests, Math.floor(state.errorCarry));
      state.errorCarry -= errors;
      const latencies = this.drawLatencies(workloadKey, flow, requests);
      if (errors > 0)
        batches.push({ flow, responseCode: flow.behaviour.errorCode, latenciesMs: latencies.slice(0, errors) });
      if (requests > errors) batches.push({ flow, responseCode: SUCCESS_CODE, latenciesMs: latencies.slice(errors) });
    }
    for (const key of this.flowStates.keys()) if (!liveFlows.has(key)) this.flowStates.delete(key);
    for (const key of this.latencyPhases.keys()) if (!liveWorkloads.has(key)) this.latencyPhases.delete(key);
    return batches;
  }

  private stateOf(key: string): FlowState {
    let state = this.flowStates.get(key);
    if (!state) {
      state = { requestCarry: this.random(), errorCarry: this.random() };
      this.flowStates.set(key, state);
    }
    return state;
  }

  private drawLatencies(workloadKey: string, flow: TrafficFlow, count: number): number[] {
    let phase = this.latencyPhases.get(workloadKey) ?? this.random();
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      phase = (phase + GOLDEN_RATIO_CONJUGATE) % 1;
      const u = Math.min(1 - EDGE, Math.max(EDGE, phase));
      latencies.push(latencyQuantileMs(flow.behaviour.latency, u));
    }
    this.latencyPhases.set(workloadKey, phase);
    return latencies;
  }
}
