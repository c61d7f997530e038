import type { z } from 'zod';
import { API_GROUP, API_VERSION } from '../api-group.ts';
import { alertProviderSchema } from '../schema/alert-provider.ts';
import { canarySchema } from '../schema/canary.ts';
import { metricTemplateSchema } from '../schema/metric-template.ts';
import { toOpenApiSchema, type OpenApiSchema } from './openapi-schema.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  priority?: number;
  description?: string;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames?: string[];
      categories: string[];
    };
    scope: 'Namespaced';
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources: { status: Record<string, never> };
      additionalPrinterColumns: PrinterColumn[];
      schema: { openAPIV3Schema: OpenApiSchema };
    }[];
  };
}

interface ResourceDescription {
  kind: string;
  plural: string;
  description: string;
  schema: z.ZodObject;
  printerColumns: PrinterColumn[];
}

const KUBERNETES_TYPE_META: Record<string, OpenApiSchema> = {
  apiVersion: {
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert ' +
      'recognized schemas to the latest internal value, and may reject unrecognized values.',
    type: 'string',
  },
  kind: {
    description: 'Kind is a string value representing the REST resource this object represents. In CamelCase.',
    type: 'string',
  },
  // The API server owns the metadata schema; a CRD may only say it is an object.
  metadata: { type: 'object' },
};

function rootSchema(resource: ResourceDescription): OpenApiSchema {
  const converted = toOpenApiSchema(resource.schema);
  const { apiVersion: _a, kind: _k, metadata: _m, ...ownProperties } = converted.properties ?? {};
  return {
    description: resource.description,
    type: 'object',
    properties: { ...KUBERNETES_TYPE_META, ...ownProperties },
    // Kubernetes fills apiVersion, kind and metadata itself; only our own required fields stay.
    required: (converted.required ?? []).filter((key) => !(key in KUBERNETES_TYPE_META)),
  };
}

function customResourceDefinition(resource: ResourceDescription): CustomResourceDefinition {
  const root = rootSchema(resource);
  if (root.required?.length === 0) delete root.required;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${resource.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: {
        kind: resource.kind,
        listKind: `${resource.kind}List`,
        plural: resource.plural,
        singular: resource.kind.toLowerCase(),
        categories: ['all'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: resource.printerColumns,
          schema: { openAPIV3Schema: root },
        },
      ],
    },
  };
}

const wide = (name: string, type: PrinterColumn['type'], jsonPath: string): PrinterColumn => ({
  name,
  type,
  jsonPath,
  priority: 1,
});

export const CANARY_PRINTER_COLUMNS: PrinterColumn[] = [
  { name: 'Status', type: 'string', jsonPath: '.status.phase' },
  { name: 'Weight', type: 'string', jsonPath: '.status.canaryWeight' },
  wide('Suspended', 'boolean', '.spec.suspend'),
  wide('FailedChecks', 'string', '.status.failedChecks'),
  wide('Interval', 'string', '.spec.analysis.interval'),
  wide('Mirror', 'boolean', '.spec.analysis.mirror'),
  wide('StepWeight', 'string', '.spec.analysis.stepWeight'),
  wide('StepWeights', 'string', '.spec.analysis.stepWeights'),
  wide('MaxWeight', 'string', '.spec.analysis.maxWeight'),
  { name: 'LastTransitionTime', type: 'string', jsonPath: '.status.lastTransitionTime' },
];

export const RESOURCES: readonly ResourceDescription[] = [
  {
    kind: 'Canary',
    plural: 'canaries',
    description: 'Canary describes the progressive rollout of a workload.',
    schema: canarySchema,
    printerColumns: CANARY_PRINTER_COLUMNS,
  },
  {
    kind: 'MetricTemplate',
    plural: 'metrictemplates',
    description: 'MetricTemplate holds a query that Canary analyses run against a metrics backend.',
    schema: metricTemplateSchema,
    printerColumns: [{ name: 'Provider', type: 'string', jsonPath: '.spec.provider.type' }],
  },
  {
    kind: 'AlertProvider',
    plural: 'alertproviders',
    description: 'AlertProvider is a chat service that receives Canary alerts.',
    schema: alertProviderSchema,
    printerColumns: [{ name: 'Type', type: 'string', jsonPath: '.spec.type' }],
  },
];

/** The CRDs Linnet serves, generated from the zod schemas (one per resource, in a stable order). */
export function customResourceDefinitions(): CustomResourceDefinition[] {
  return RESOURCES.map(customResourceDefinition);
}
