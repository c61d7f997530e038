/**
 * A source of uniform numbers in [0, 1). The simulator never calls Math.random: every random choice goes through one
 * of these, created from the `--seed` flag, so two runs that see the same cluster at the same tick times export the
 * same counters.
 */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny 32-bit generator. Statistical quality is far beyond what the simulator needs (it only picks
 * starting phases), and it has no dependencies.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
