import { ValidationError } from '../errors';
import { effectiveRateLimit, parseOrgRateLimit } from './org-rate-limit';

describe('parseOrgRateLimit', () => {
  it('accepts null (the instance default) and values up to the instance limit', () => {
    expect(parseOrgRateLimit(null, 600)).toBeNull();
    expect(parseOrgRateLimit(1, 600)).toBe(1);
    expect(parseOrgRateLimit(600, 600)).toBe(600);
  });

  it('refuses a value above the instance limit, naming the field', () => {
    expect(() => parseOrgRateLimit(601, 600)).toThrow(ValidationError);
    expect(() => parseOrgRateLimit(601, 600)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'rate_limit_per_minute', problem: "must be at most 600, the instance's limit" }],
      }),
    );
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53])('refuses %p', (value) => {
    expect(() => parseOrgRateLimit(value, 10_000_000_000_000_000)).toThrow(ValidationError);
  });
});

describe('effectiveRateLimit', () => {
  it('is the instance limit without orgs or for orgs without their own', () => {
    expect(effectiveRateLimit([], 600)).toBe(600);
    expect(effectiveRateLimit([null], 600)).toBe(600);
  });

  it("takes the most generous org's limit", () => {
    expect(effectiveRateLimit([5, 50], 600)).toBe(50);
    expect(effectiveRateLimit([5, null], 600)).toBe(600);
  });

  it('clamps a stored limit above the instance limit', () => {
    expect(effectiveRateLimit([1_000_000], 600)).toBe(600);
    expect(effectiveRateLimit([5, 1_000_000], 600)).toBe(600);
  });
});
