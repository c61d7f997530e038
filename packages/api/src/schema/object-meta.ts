import { z } from 'zod';

// The subset of ObjectMeta Linnet reads. Loose, so that the server's fields (managedFields, ownerReferences, ...)
// survive a parse/serialise round trip.
export const objectMetaSchema = z.looseObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
});

export type ObjectMeta = z.infer<typeof objectMetaSchema>;
