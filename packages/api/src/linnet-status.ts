import { z } from 'zod';

// Linnet's additive status fields (Flagger clients ignore them). Owned by packages/core: the decision core
// persists here whatever it needs to resume a run after a controller restart.
export const lastDecisionSchema = z.object({
  reason: z.string().describe('Machine reason of the last decision, e.g. AdvanceWeight, FailedCheck'),
  message: z.string().describe('Human-readable explanation of the last decision'),
  time: z.string().describe('RFC3339 time the decision was first made (repeats of the same decision keep it)'),
});

export const metricCheckResultSchema = z.object({
  name: z.string(),
  interval: z.string().optional().describe('Window of the query, e.g. 1m'),
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  passed: z.boolean(),
  message: z.string(),
  time: z.string(),
});

export const linnetStatusExtrasSchema = z.object({
  nextCheckTime: z
    .string()
    .optional()
    .describe(
      'RFC3339 time of the next scheduled step of the run (analysis check, gate retry, promotion step or end of ' +
        'the drain period); survives restarts',
    ),
  preRolloutPassed: z
    .boolean()
    .optional()
    .describe('The pre-rollout hooks of the current run passed; they are not run again in this run'),
  lastDecision: lastDecisionSchema.optional(),
  lastChecks: z.array(metricCheckResultSchema).optional().describe('Results of the last metric checks'),
  observedGeneration: z.number().int().optional(),
});

export type LastDecision = z.infer<typeof lastDecisionSchema>;
export type MetricCheckResult = z.infer<typeof metricCheckResultSchema>;
export type LinnetStatusExtras = z.infer<typeof linnetStatusExtrasSchema>;
