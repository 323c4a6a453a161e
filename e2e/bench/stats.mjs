// Percentiles for the benchmarks (nearest rank): pct(xs, 95) is the p95, median = pct(xs, 50)
// (the lower middle for an even count); NaN for no samples.
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
export const median = (xs) => pct(xs, 50);
