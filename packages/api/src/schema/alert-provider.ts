import { z } from 'zod';
import { ALERT_PROVIDER_DEFAULTS } from '../flagger-defaults.ts';
import { conditionSchema } from './condition.ts';
import { objectMetaSchema } from './object-meta.ts';

export const ALERT_PROVIDER_TYPES = ['slack', 'msteams', 'discord', 'rocket', 'gchat'] as const;

export const alertProviderSpecSchema = z.object({
  type: z.enum(ALERT_PROVIDER_TYPES).describe('Chat service'),
  channel: z.string().optional().describe(`Channel to post to. Defaults to ${ALERT_PROVIDER_DEFAULTS.channel}`),
  username: z.string().optional().describe(`Bot user name. Defaults to ${ALERT_PROVIDER_DEFAULTS.username}`),
  address: z.string().optional().describe('Hook URL; required unless secretRef is set'),
  proxy: z.string().optional().describe('HTTP(S) proxy URL'),
  secretRef: z
    .object({ name: z.string().describe('Name of the Secret') })
    .optional()
    .describe('Secret with the hook URL under key address (and a Slack bot token under key token)'),
});

export const alertProviderStatusSchema = z.object({
  conditions: z.array(conditionSchema).optional().describe('Never written by Flagger or Linnet'),
});

export const alertProviderSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: objectMetaSchema,
  spec: alertProviderSpecSchema.describe('Where and how alerts are posted'),
  status: alertProviderStatusSchema.optional(),
});

export type AlertProviderType = (typeof ALERT_PROVIDER_TYPES)[number];
export type AlertProviderSpec = z.infer<typeof alertProviderSpecSchema>;
export type AlertProvider = z.infer<typeof alertProviderSchema>;
