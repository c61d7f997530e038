import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  hasReachedPromotionWeight,
  nextCanaryWeight,
  nextPromotionCanaryWeight,
  promotionWeight,
} from './weight-schedule.ts';

type Settings = { stepWeight?: number; stepWeights?: number[]; maxWeight: number };

/** The weights the canary strategy walks through before promoting (reference §2.3). */
function schedule(settings: Settings): number[] {
  const weights: number[] = [];
  let weight = 0;
  while (!hasReachedPromotionWeight(weight, settings)) {
    if (weights.length > 100) throw new Error(`no progress: ${weights.join(',')}`);
    weight = nextCanaryWeight(weight, settings);
    weights.push(weight);
  }
  return weights;
}

describe('canary weight schedule', () => {
  it.each<[string, Settings, number[]]>([
    ['linear 20 / max 50 overshoots like Flagger', { stepWeight: 20, maxWeight: 50 }, [20, 40, 60]],
    ['linear 10 / max 50 (the seed)', { stepWeight: 10, maxWeight: 50 }, [10, 20, 30, 40, 50]],
    ['linear 10 / max 30', { stepWeight: 10, maxWeight: 30 }, [10, 20, 30]],
    ['linear 100', { stepWeight: 100, maxWeight: 100 }, [100]],
    ['linear 30 / max 100 stops at 100', { stepWeight: 30, maxWeight: 100 }, [30, 60, 90, 100]],
    ['stepWeights [1,2,10,80]', { stepWeights: [1, 2, 10, 80], maxWeight: 100 }, [1, 2, 10, 80]],
    ['stepWeights [1,2,10,200] capped at 100', { stepWeights: [1, 2, 10, 200], maxWeight: 100 }, [1, 2, 10, 100]],
    ['stepWeights ignore maxWeight', { stepWeights: [5, 50], maxWeight: 10 }, [5, 50]],
    ['stepWeight wins over stepWeights', { stepWeight: 25, stepWeights: [1, 2], maxWeight: 50 }, [25, 50]],
    ['no step: straight to maxWeight', { maxWeight: 50 }, [50]],
  ])('%s', (_name, settings, expected) => {
    expect(schedule(settings)).toEqual(expected);
  });

  it.each<[Settings, number]>([
    [{ stepWeight: 20, maxWeight: 50 }, 50],
    [{ stepWeights: [1, 2, 10, 80], maxWeight: 100 }, 80],
    [{ stepWeights: [1, 2, 10, 200], maxWeight: 30 }, 100],
  ])('promotionWeight(%j) = %d', (settings, expected) => {
    expect(promotionWeight(settings)).toBe(expected);
  });

  it('always stays in 0..100 and ends (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          stepWeight: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }),
          stepWeights: fc.option(fc.array(fc.integer({ min: -5, max: 250 }), { maxLength: 6 }), { nil: undefined }),
          maxWeight: fc.integer({ min: 1, max: 100 }),
        }),
        (settings) => {
          const weights = schedule(settings);
          expect(weights.length).toBeLessThanOrEqual(101);
          for (const [index, weight] of weights.entries()) {
            expect(weight).toBeGreaterThanOrEqual(0);
            expect(weight).toBeLessThanOrEqual(100);
            expect(weight).toBeGreaterThan(index === 0 ? 0 : (weights[index - 1] ?? 0));
          }
        },
      ),
    );
  });
});

describe('promotion shift', () => {
  it.each([
    [100, 0, 0],
    [100, 50, 50],
    [50, 50, 0],
    [50, 30, 20],
    [20, 30, 0],
  ])('canary %d with stepWeightPromotion %d → %d', (canary, step, expected) => {
    expect(nextPromotionCanaryWeight(canary, step)).toBe(expected);
  });
});
