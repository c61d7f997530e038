import { describe, expect, it } from '@jest/globals';
import { metricTemplateContext, MetricTemplateRenderError, renderQueryTemplate } from './query-template.ts';

const context = metricTemplateContext(
  {
    metadata: { name: 'podinfo-canary', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898, name: 'podinfo-svc' },
      ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'podinfo-ing' },
    },
  },
  { interval: '2m', templateVariables: { reporter: 'source', 'error-codes': '5..' } },
);

function renderError(template: string): MetricTemplateRenderError {
  try {
    renderQueryTemplate(template, context);
  } catch (error) {
    if (error instanceof MetricTemplateRenderError) return error;
    throw error;
  }
  throw new Error('expected a render error');
}

describe('metricTemplateContext', () => {
  it('takes the names from the Canary and falls back to the target', () => {
    expect(context).toEqual({
      name: 'podinfo-canary',
      namespace: 'test',
      target: 'podinfo',
      service: 'podinfo-svc',
      ingress: 'podinfo-ing',
      route: 'podinfo',
      interval: '2m',
      variables: { reporter: 'source', 'error-codes': '5..' },
    });
  });

  it('defaults the interval to 1m, independent of the analysis interval', () => {
    const defaulted = metricTemplateContext(
      {
        metadata: { name: 'a', namespace: 'b' },
        spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 't' } },
      },
      {},
    );
    expect(defaulted).toMatchObject({ interval: '1m', service: 't', ingress: 't', route: 't', variables: {} });
  });
});

describe('renderQueryTemplate', () => {
  it.each([
    ['{{ namespace }}', 'test'],
    ['{{namespace}}', 'test'],
    [
      '{{ name }}/{{ target }}/{{ service }}/{{ ingress }}/{{ route }}',
      'podinfo-canary/podinfo/podinfo-svc/podinfo-ing/podinfo',
    ],
    ['[{{ interval }}]', '[2m]'],
    ['reporter="{{ variables.reporter }}"', 'reporter="source"'],
    ['code=~"{{ index variables "error-codes" }}"', 'code=~"5.."'],
    ['a {{- namespace -}} b', 'atestb'],
    ['a {{/* a comment */}}b', 'a b'],
    ['no actions at all', 'no actions at all'],
  ])('renders %j', (template, expected) => {
    expect(renderQueryTemplate(template, context)).toBe(expected);
  });

  it('renders a typical latency template', () => {
    const template = `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{
      reporter="{{ variables.reporter }}", destination_workload_namespace="{{ namespace }}",
      destination_workload=~"{{ target }}"}[{{ interval }}])) by (le))`;
    expect(renderQueryTemplate(template, context)).toContain(
      'reporter="source", destination_workload_namespace="test",\n      destination_workload=~"podinfo"}[2m]',
    );
  });

  it('fails on a missing variable and names the defined ones', () => {
    const error = renderError('{{ variables.cluster }}');
    expect(error.reason).toBe('MetricTemplateRenderFailed');
    expect(error.message).toBe(
      'template variable "cluster" is not defined in templateVariables (defined: error-codes, reporter)',
    );
  });

  it('fails on an unknown function', () => {
    expect(renderError('{{ canary }}').message).toMatch(/^function "canary" is not defined; supported: \{\{ name \}\}/);
  });

  it('fails on unsupported actions and unclosed actions', () => {
    expect(renderError('{{ .Namespace }}').message).toMatch(/^unsupported template action \{\{ \.Namespace \}\}/);
    expect(renderError('{{ variables }}').message).toContain('needs a key');
    expect(renderError('sum({{ namespace').message).toBe('unclosed action at offset 4: {{ namespace');
  });
});
