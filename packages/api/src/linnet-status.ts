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

export const lastManualActionSchema = z.object({
  action: z.enum(['promote', 'abort', 'retry']).describe('The action requested with linnet.dev/action'),
  requestedAt: z
    .string()
    .describe('linnet.dev/action-requested-at of the request (empty when it was written without a time)'),
  result: z
    .enum(['acted', 'discarded'])
    .describe('acted: the controller did what was asked; discarded: the request did not apply (message says why)'),
  message: z.string().describe('What the controller did with the request'),
  time: z.string().describe('RFC3339 time the controller handled the request'),
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
  lastManualAction: lastManualActionSchema
    .optional()
    .describe(
      'The last manual-control request (linnet promote|abort|retry) the controller handled; a request seen again ' +
        'after a crash matches it and is only acknowledged, not done twice',
    ),
});

export type LastDecision = z.infer<typeof lastDecisionSchema>;
export type MetricCheckResult = z.infer<typeof metricCheckResultSchema>;
export type LastManualAction = z.infer<typeof lastManualActionSchema>;
export type LinnetStatusExtras = z.infer<typeof linnetStatusExtrasSchema>;
