// `linnet <command> --help`: what each command does and the flags it reads. Static text only, so that help and
// --version answer without loading the Kubernetes client.

const CONNECTION = `  --kubeconfig <path>   kubeconfig to use (default $KUBECONFIG, then ~/.kube/config)
  --context <name>      kubeconfig context to use`;
const NAMESPACE = `  -n, --namespace <ns>  namespace (default: the context's namespace)`;
const ONE_CANARY = `The canary is named as kubectl names it: <name>, canary <name> or canary/<name>.`;

const manualAction = (what: string): string => `${what}
The request is recorded on the Canary (annotation linnet.dev/action); the controller acts on it at its next check.
${ONE_CANARY}

Flags:
${NAMESPACE}
${CONNECTION}
`;

export const COMMAND_HELP: Readonly<Record<string, string>> = {
  get: `Usage: linnet get canaries [<name>] [-n <ns> | -A] [-o wide|json|yaml|name]

The table kubectl prints for canaries: NAME, STATUS, WEIGHT, LASTTRANSITIONTIME.

Flags:
  -o, --output <format> wide (adds the CRD's priority-1 columns), json, yaml or name
  -A, --all-namespaces  list across all namespaces
${NAMESPACE}
${CONNECTION}
`,
  watch: `Usage: linnet watch [<name>] [-n <ns> | -A]

A live view, redrawn on every change: per Canary its status, step n/m with a progress bar, the primary and canary
images with their ready replicas, the time since the run began, and the last decision's explanation. On a terminal it
redraws in place; piped, each changed view is appended. Ctrl-C ends it (exit 0).

Flags:
  -A, --all-namespaces  every namespace
${NAMESPACE}
${CONNECTION}
`,
  describe: `Usage: linnet describe canary <name> [-n <ns>]

What the Canary asks for (target, strategy, service, interval, threshold, metrics, webhooks), its workloads (primary
and canary images and replicas), where its run is (phase, step n/m, elapsed, failed checks, next check, the last
decision and why), the last metric checks and the events about it.
${ONE_CANARY}

Flags:
${NAMESPACE}
${CONNECTION}
`,
  promote: manualAction('Usage: linnet promote <name> [-n <ns>]\n\nEnds the analysis now and promotes the canary.'),
  abort: manualAction('Usage: linnet abort <name> [-n <ns>]\n\nRolls the canary back now.'),
  retry: manualAction(
    'Usage: linnet retry <name> [-n <ns>]\n\nRuns the analysis of a Failed revision again, without a new revision.',
  ),
  pause: `Usage: linnet pause <name> [-n <ns>]

Suspends the canary: sets spec.suspend to true (the controller then leaves it alone).
${ONE_CANARY}

Flags:
${NAMESPACE}
${CONNECTION}
`,
  resume: `Usage: linnet resume <name> [-n <ns>]

Resumes a suspended canary: sets spec.suspend to false.
${ONE_CANARY}

Flags:
${NAMESPACE}
${CONNECTION}
`,
  wait: `Usage: linnet wait <name> --for=<phase>|phase=<phase>|condition=<type>[=<status>] [--timeout=30s] [-n <ns>]

Waits for a phase (Succeeded, Failed, Progressing, ...) or a condition (condition=Promoted, condition=Promoted=False).
Exit codes: 0 reached; 1 the canary failed while waiting for something else; 2 timeout; 3 usage or other error.

Flags:
  --for <target>        what to wait for (required)
  --timeout <duration>  30s, 10m, or seconds; 0 checks once (default 30s)
${NAMESPACE}
${CONNECTION}
`,
  convert: `Usage: linnet convert kurator -f <file|-> [--name <workload>] [-n <ns>] [--port <port>] [-o yaml|json]

Prints the Canaries equivalent to a Kurator Application, rollout or rolloutPolicy (YAML or JSON, several documents
allowed). Needs no cluster.

Flags:
  -f, --filename <file> the input; - for standard input
  --name <workload>     the workload of a bare rolloutPolicy
  -n, --namespace <ns>  its namespace
  --port <port>         its service port
  --load-tester-url <u> point the load tests at another test loader
  -o, --output <format> yaml (default) or json
`,
};
