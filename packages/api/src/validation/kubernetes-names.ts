// Names Kubernetes refuses at apply time, checked at validation instead, so a Canary with one is blocked with the
// field named before anything is created (the primary would be created, then the Services refused).

/** RFC 1123 label: what a Service port may be called. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: what a Service may be called (starts with a letter). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_MAX = 63;

/** The longest suffix Linnet appends to the service name (`<name>-primary`; `<name>-canary` is shorter). */
const GENERATED_SUFFIX = '-primary';

/** Why `name` cannot be a Service port name, or undefined. */
export function servicePortNameProblem(name: string): string | undefined {
  if (name.length <= LABEL_MAX && DNS1123_LABEL.test(name)) return undefined;
  return `must be a DNS label: at most ${LABEL_MAX} lowercase letters, digits and dashes, starting and ending with a letter or digit (got ${JSON.stringify(name)})`;
}

/** Why `name` cannot name the apex Service (and, suffixed, `<name>-primary`/`<name>-canary`), or undefined. */
export function serviceNameProblem(name: string): string | undefined {
  if (!DNS1035_LABEL.test(name)) {
    return `must be a DNS-1035 label: lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit (got ${JSON.stringify(name)})`;
  }
  const longest = `${name}${GENERATED_SUFFIX}`;
  if (longest.length > LABEL_MAX) {
    return `is too long: the generated Service and label value ${JSON.stringify(longest)} would have ${longest.length} characters, more than ${LABEL_MAX} (use at most ${LABEL_MAX - GENERATED_SUFFIX.length})`;
  }
  return undefined;
}
