import { z } from 'zod';

// Gateway API references Flagger accepts in `spec.service` (used by the gatewayapi provider only).

const dnsSubdomain = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const kindName = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

export const parentReferenceSchema = z.object({
  group: z.string().max(253).regex(dnsSubdomain).optional().describe('Defaults to gateway.networking.k8s.io'),
  kind: z.string().min(1).max(63).regex(kindName).optional().describe('Defaults to Gateway'),
  name: z.string().min(1).max(253),
  namespace: z.string().min(1).max(63).regex(dnsLabel).optional(),
  sectionName: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)
    .optional(),
  port: z.number().int().min(1).max(65535).optional(),
});

export const backendObjectReferenceSchema = z.object({
  group: z.string().max(253).regex(dnsSubdomain).optional().describe('Defaults to "" (core)'),
  kind: z.string().min(1).max(63).regex(kindName).optional().describe('Defaults to Service'),
  name: z.string().min(1).max(253),
  namespace: z.string().min(1).max(63).regex(dnsLabel).optional(),
  port: z.number().int().min(1).max(65535).optional().describe('Required for a Service reference'),
});

export const httpRequestMirrorFilterSchema = z.object({
  backendRef: backendObjectReferenceSchema,
});

export type ParentReference = z.infer<typeof parentReferenceSchema>;
export type HttpRequestMirrorFilter = z.infer<typeof httpRequestMirrorFilterSchema>;
