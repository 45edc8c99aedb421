/**
 * `node bench/fleet-simulation.mjs [--runs N]`: the fleet of bench/fleet.ts simulated, thousands of
 * times, with the helper's own retry rule (src/aws/throttle-backoff.ts): N machines whose first
 * calls come 0.3 to 0.8 s after the start, a bucket of 10 calls refilled at 1 a second, 20 ms per
 * call, each machine's deadline its bound less 0.5 s. Prints, per fleet and bound, the mean served
 * and attempts per machine, and how often a run served the bucket's share and kept to two
 * attempts per machine. Randomness is seeded: the same numbers every run. No process, no network.
 */
import { throttleRetryDelayMs } from '../src/aws/throttle-backoff';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 2000;

/** A small linear congruential generator: reproducible draws in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function simulate(machines: number, boundS: number, random: () => number) {
  let credits = 10;
  let last = 0;
  const take = (at: number): boolean => {
    credits = Math.min(10, credits + (at - last));
    last = at;
    if (credits < 1) return false;
    credits -= 1;
    return true;
  };
  const pending: { at: number; machine: number }[] = [];
  const state: { deadline: number; throttled: number }[] = [];
  for (let machine = 0; machine < machines; machine += 1) {
    const first = 0.3 + random() * 0.5;
    state.push({ deadline: first - 0.3 + boundS - 0.5, throttled: 0 });
    pending.push({ at: first, machine });
  }
  let served = 0;
  let attempts = 0;
  while (pending.length > 0) {
    pending.sort((a, b) => a.at - b.at);
    const { at, machine } = pending.shift() as { at: number; machine: number };
    const self = state[machine] as { deadline: number; throttled: number };
    attempts += 1;
    if (take(at + 0.01)) {
      served += 1;
      continue;
    }
    self.throttled += 1;
    const leftMs = (self.deadline - (at + 0.02)) * 1000;
    const delay = throttleRetryDelayMs({ throttled: self.throttled, leftMs, random });
    if (delay !== undefined) pending.push({ at: at + 0.02 + delay / 1000, machine });
  }
  return { served, attempts };
}

const random = seeded(7);
process.stdout.write(`fleet simulation, ${RUNS} runs each: bucket 10 + 1/s\n`);
for (const [machines, boundS] of [
  [40, 10],
  [40, 30],
  [40, 45],
  [80, 30],
] as const) {
  const results = Array.from({ length: RUNS }, () => simulate(machines, boundS, random));
  // What the bucket allows by the last machine's deadline: 10, plus 1 a second from its first call.
  const share = Math.min(machines, Math.floor(10 + boundS - 0.5 - 0.8));
  const mean = (pick: (r: { served: number; attempts: number }) => number) =>
    results.reduce((sum, r) => sum + pick(r), 0) / RUNS;
  const often = (test: (r: { served: number; attempts: number }) => boolean) =>
    `${Math.round((results.filter(test).length / RUNS) * 100)}%`;
  process.stdout.write(
    `  ${machines} machines, ${boundS} s: served ${mean((r) => r.served).toFixed(1)} (${share} or more in ${often((r) => r.served >= share)}), ` +
      `attempts per machine ${(mean((r) => r.attempts) / machines).toFixed(2)} (at most 2 in ${often((r) => r.attempts <= 2 * machines)})\n`,
  );
}
