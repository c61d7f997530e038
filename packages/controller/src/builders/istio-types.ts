import type { V1ObjectMeta } from '@kubernetes/client-node';
import type {
  CanaryMatch,
  CorsPolicy,
  Headers as HeaderOperationsSpec,
  HttpMatchRequest,
  HttpRetry,
  TrafficPolicy,
} from '@linnet/api';

// The subset of Istio's networking.istio.io/v1beta1 API that Linnet writes and reads (reference §5). Fields Linnet
// does not write may still appear on live objects, so readers must tolerate them.

export const ISTIO_NETWORKING_API_VERSION = 'networking.istio.io/v1beta1';

export interface IstioDestination {
  host: string;
  subset?: string;
  port?: { number: number };
}

export type IstioHeaderOperations = HeaderOperationsSpec;

export interface HttpRouteDestination {
  destination: IstioDestination;
  weight?: number;
  headers?: IstioHeaderOperations;
}

/** Istio's HTTPMatchRequest; A/B conditions from `analysis.match` may also carry a header `suffix`. */
export type IstioHttpMatchRequest = Omit<HttpMatchRequest, 'headers'> & {
  headers?: NonNullable<HttpMatchRequest['headers']> | NonNullable<CanaryMatch['headers']>;
};

export interface IstioHttpRoute {
  name?: string;
  match?: IstioHttpMatchRequest[];
  route?: HttpRouteDestination[];
  rewrite?: { uri?: string; authority?: string };
  timeout?: string;
  retries?: HttpRetry;
  corsPolicy?: CorsPolicy;
  headers?: IstioHeaderOperations;
  mirror?: IstioDestination;
  mirrorPercentage?: { value: number };
}

export interface IstioTcpRoute {
  match?: { port?: number }[];
  route?: { destination: IstioDestination; weight?: number }[];
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: IstioHttpRoute[];
  tcp?: IstioTcpRoute[];
}

export interface VirtualService {
  apiVersion: string;
  kind: 'VirtualService';
  metadata: V1ObjectMeta;
  spec: VirtualServiceSpec;
}

export interface DestinationRule {
  apiVersion: string;
  kind: 'DestinationRule';
  metadata: V1ObjectMeta;
  spec: { host: string; trafficPolicy?: TrafficPolicy };
}
