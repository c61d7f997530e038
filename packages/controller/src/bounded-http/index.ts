export { boundedExchange, formatSeconds } from './bounded-exchange.ts';
export type {
  BoundedRequest,
  ExchangeFailure,
  ExchangeFailureReason,
  ExchangeResponse,
  ExchangeResult,
} from './bounded-exchange.ts';
