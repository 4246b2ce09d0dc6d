import type { Sample } from '../../store/store.js';

/** The `seconds` argument of the *.monitoring calls: -1 every sample, 0 only the last, N the last N seconds. */
export function samplesFor(samples: Sample[], seconds: number, now: number): Sample[] {
  if (seconds < 0) return samples;
  if (seconds === 0) return samples.slice(-1);
  return samples.filter((s) => s.timestamp >= now - seconds);
}
