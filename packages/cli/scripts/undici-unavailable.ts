// Stands in for undici in the bundled CLI (scripts/bundle.ts): client-node imports it, the CLI never calls it.
const unavailable = (): never => {
  throw new Error('undici is not bundled: the linnet CLI sends its requests through node:https');
};
export const fetch = unavailable;
export class Agent {
  constructor() {
    unavailable();
  }
}
export class ProxyAgent extends Agent {}
