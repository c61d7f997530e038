import type { V1PodSpec, V1ServicePort } from '@kubernetes/client-node';
import type { DefaultedCanaryService } from '@linnet/api';

/** Sidecars whose ports are the mesh's, not the application's. */
const SIDECAR_CONTAINERS = new Set(['istio-proxy', 'envoy']);

/** The first port of every generated Service: `spec.service.port` → `targetPort`, named `portName`. */
export function mainServicePort(service: DefaultedCanaryService): V1ServicePort {
  return {
    name: service.portName,
    protocol: 'TCP',
    port: service.port,
    targetPort: service.targetPort,
    ...(service.appProtocol !== undefined && { appProtocol: service.appProtocol }),
  };
}

/**
 * `portDiscovery` (reference §4): every other container port of the target, exposed on the same number, named after
 * the container port or `tcp-<container>-<index>`. Sidecar ports and the main target port are skipped; so are ports
 * whose number or name another port already uses, since the API server would reject the Service.
 */
export function discoverServicePorts(podSpec: V1PodSpec | undefined, service: DefaultedCanaryService): V1ServicePort[] {
  const main = mainServicePort(service);
  const usedNumbers = new Set<number>([main.port]);
  const usedNames = new Set<string>([main.name ?? '']);
  const discovered: V1ServicePort[] = [];
  for (const container of podSpec?.containers ?? []) {
    if (SIDECAR_CONTAINERS.has(container.name)) continue;
    (container.ports ?? []).forEach((containerPort, index) => {
      const isTargetPort =
        typeof service.targetPort === 'number'
          ? containerPort.containerPort === service.targetPort
          : containerPort.name === service.targetPort;
      if (isTargetPort) return;
      const name = containerPort.name ?? `tcp-${container.name}-${index}`;
      if (usedNumbers.has(containerPort.containerPort) || usedNames.has(name)) return;
      usedNumbers.add(containerPort.containerPort);
      usedNames.add(name);
      discovered.push({
        name,
        protocol: 'TCP',
        port: containerPort.containerPort,
        targetPort: containerPort.containerPort,
      });
    });
  }
  return discovered;
}
