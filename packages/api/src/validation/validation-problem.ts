/** One thing wrong with a resource, at a dotted/indexed path such as `spec.analysis.stepWeights[2]`. */
export interface ValidationProblem {
  path: string;
  message: string;
}

export type PathSegment = string | number;
export type ReportProblem = (path: readonly PathSegment[], message: string) => void;

// Map keys such as header names may contain dots or slashes; those are quoted so the path stays unambiguous.
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** Collects problems in the order they are found, keeping the first message for a path reported twice. */
export class ProblemList {
  readonly problems: ValidationProblem[] = [];
  readonly #seen = new Set<string>();

  readonly report: ReportProblem = (path, message) => {
    const formatted = formatPath(path);
    const key = `${formatted}\u0000${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.problems.push({ path: formatted, message });
  };

  hasProblemAt(path: readonly PathSegment[]): boolean {
    const formatted = formatPath(path);
    return this.problems.some((problem) => problem.path === formatted);
  }
}
