import { z } from 'zod';

export const conditionStatusSchema = z.enum(['True', 'False', 'Unknown']);

// Flagger keeps exactly one condition on a Canary, `type: Promoted`, whose reason is the phase name.
export const conditionSchema = z.object({
  type: z.string().describe('Condition type; Flagger and Linnet write only "Promoted"'),
  status: conditionStatusSchema.describe('True, False or Unknown'),
  lastUpdateTime: z.string().optional().describe('RFC3339 time the condition was last written'),
  lastTransitionTime: z.string().optional().describe('RFC3339 time the status value last changed'),
  reason: z.string().describe('Machine reason; the phase name for the Promoted condition'),
  message: z.string().optional().describe('Human-readable explanation'),
});

export type ConditionStatus = z.infer<typeof conditionStatusSchema>;
export type Condition = z.infer<typeof conditionSchema>;
