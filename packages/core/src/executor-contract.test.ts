// The executors' contract (test-support/executor-contract.ts) kept by the simulated world the core's tests run on.
import { canarySpec } from './test-support/canary-specs.ts';
import { describeExecutorContract } from './test-support/executor-contract.ts';
import { SimulatedWorld } from './test-support/simulated-world.ts';

let world: SimulatedWorld;
const CONFIG = 'configmap/settings';

describeExecutorContract('simulated world', {
  async setUp() {
    world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 10 }) });
    world.changeConfig(CONFIG, 'v1');
    world.changeTarget('app:v1');
    world.initialize();
  },
  async setImage(image) {
    world.changeTarget(`app:${image}`);
  },
  async setConfig(value) {
    world.changeConfig(CONFIG, value);
  },
  async observeTarget() {
    return { targetRevision: world.targetHash, configChecksums: { ...world.configChecksums } };
  },
  async execute(actions) {
    return { kind: world.execute(actions).kind };
  },
  async primary() {
    return { revision: world.primaryRevision, configChecksums: { ...world.primaryConfigChecksums } };
  },
});
