import type { CanaryMetric, CanarySpec, ObjectMeta } from '@linnet/api';
import { CANARY_DEFAULTS } from '@linnet/api';

/**
 * The values a MetricTemplate query can use (reference §6.3). Flagger renders with Go text/template and
 * `missingkey=error`; each name below is a zero-argument function there, written `{{ namespace }}`.
 */
export interface MetricTemplateContext {
  /** Canary name. */
  name: string;
  namespace: string;
  /** targetRef.name: the canary workload. */
  target: string;
  /** service.name, else the target. */
  service: string;
  /** ingressRef.name, else the target. */
  ingress: string;
  /** routeRef.name, else the target. */
  route: string;
  /** The metric's interval (default 1m), not the analysis interval. */
  interval: string;
  /** templateVariables of the metric, used as `{{ variables.key }}`. */
  variables: Readonly<Record<string, string>>;
}

export class MetricTemplateRenderError extends Error {
  readonly reason = 'MetricTemplateRenderFailed';
  constructor(message: string) {
    super(message);
    this.name = 'MetricTemplateRenderError';
  }
}

type ScalarFunction = Exclude<keyof MetricTemplateContext, 'variables'>;
const SCALAR_FUNCTIONS: readonly ScalarFunction[] = [
  'name',
  'namespace',
  'target',
  'service',
  'ingress',
  'route',
  'interval',
];
const SUPPORTED =
  '{{ name }}, {{ namespace }}, {{ target }}, {{ service }}, {{ ingress }}, {{ route }}, {{ interval }}, {{ variables.<key> }}';

/** The template context of one metric of a Canary. */
export function metricTemplateContext(
  canary: { metadata: Pick<ObjectMeta, 'name' | 'namespace'>; spec: CanarySpec },
  metric: Pick<CanaryMetric, 'interval' | 'templateVariables'>,
): MetricTemplateContext {
  const target = canary.spec.targetRef.name;
  return {
    name: canary.metadata.name ?? '',
    namespace: canary.metadata.namespace ?? '',
    target,
    service: canary.spec.service?.name || target,
    ingress: canary.spec.ingressRef?.name || target,
    route: canary.spec.routeRef?.name || target,
    interval: metric.interval || CANARY_DEFAULTS.metricInterval,
    variables: metric.templateVariables ?? {},
  };
}

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const VARIABLE_FIELD = new RegExp(`^variables\\.(${IDENTIFIER})$`);
const VARIABLE_INDEX = /^index\s+variables\s+"((?:[^"\\]|\\.)*)"$/;
const FUNCTION_CALL = new RegExp(`^(${IDENTIFIER})$`);

/**
 * Renders the subset of Go text/template that metric queries use: the functions above, `{{ variables.key }}`
 * (also `{{ index variables "key" }}` for keys that are not identifiers), `{{- -}}` whitespace trimming and
 * Go comment actions. Anything else, an unknown function or a missing variable is a MetricTemplateRenderError,
 * which fails the check just as Flagger's `missingkey=error` does.
 */
export function renderQueryTemplate(template: string, context: MetricTemplateContext): string {
  let output = '';
  let position = 0;
  while (position < template.length) {
    const open = template.indexOf('{{', position);
    if (open === -1) {
      output += template.slice(position);
      break;
    }
    const close = template.indexOf('}}', open + 2);
    if (close === -1)
      throw new MetricTemplateRenderError(`unclosed action at offset ${open}: ${excerpt(template, open)}`);

    let inner = template.slice(open + 2, close);
    let text = template.slice(position, open);
    if (/^-\s/.test(inner)) {
      text = text.trimEnd();
      inner = inner.slice(1);
    }
    let trimAfter = false;
    if (/\s-$/.test(inner)) {
      trimAfter = true;
      inner = inner.slice(0, -1);
    }
    output += text + evaluateAction(inner.trim(), context);
    position = close + 2;
    if (trimAfter) position = skipWhitespace(template, position);
  }
  return output;
}

function evaluateAction(action: string, context: MetricTemplateContext): string {
  if (action.startsWith('/*') && action.endsWith('*/')) return '';

  const field = VARIABLE_FIELD.exec(action);
  if (field !== null) return lookupVariable(field[1] ?? '', context.variables);
  const indexed = VARIABLE_INDEX.exec(action);
  if (indexed !== null) return lookupVariable(JSON.parse(`"${indexed[1] ?? ''}"`) as string, context.variables);

  const call = FUNCTION_CALL.exec(action);
  if (call !== null) {
    const fn = call[1] ?? '';
    if ((SCALAR_FUNCTIONS as readonly string[]).includes(fn)) return context[fn as ScalarFunction];
    if (fn === 'variables') {
      throw new MetricTemplateRenderError('{{ variables }} needs a key: write {{ variables.<key> }}');
    }
    throw new MetricTemplateRenderError(`function "${fn}" is not defined; supported: ${SUPPORTED}`);
  }
  throw new MetricTemplateRenderError(`unsupported template action {{ ${action} }}; supported: ${SUPPORTED}`);
}

function lookupVariable(key: string, variables: Readonly<Record<string, string>>): string {
  if (Object.hasOwn(variables, key)) return variables[key] ?? '';
  const defined = Object.keys(variables).sort();
  const known = defined.length === 0 ? 'the metric has no templateVariables' : `defined: ${defined.join(', ')}`;
  throw new MetricTemplateRenderError(`template variable "${key}" is not defined in templateVariables (${known})`);
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && /\s/.test(text.charAt(index))) index += 1;
  return index;
}

function excerpt(text: string, from: number): string {
  const slice = text.slice(from, from + 40);
  return from + 40 < text.length ? `${slice}…` : slice;
}
