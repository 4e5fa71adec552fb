import { condition, defineSignal, proxyActivities, proxySinks, setHandler, sleep, type Sinks } from '@temporalio/workflow';

/**
 * The raw baselines' workflows: the least a workflow can do to match each step the campaign's cases take.
 * Bundled only into the bench's own worker (bench/baseline-worker.ts), never into workflows/index.ts.
 */

export interface BaselineActivities {
  baselineNoop(): Promise<void>;
}

export interface BaselineSinks extends Sinks {
  baseline: { waiting(): void };
}

const { baselineNoop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '5 minutes' });
const { baseline } = proxySinks<BaselineSinks>();

export const pokeSignal = defineSignal('poke');

/** Starts, then waits on a timer until `at` (epoch ms): what a case does at import, waiting at its first deadline. */
export async function baselineTimer(at: number): Promise<void> {
  baseline.waiting();
  await sleep(Math.max(1, at - Date.now()));
}

/** Waits on a timer until `at`, then runs one no-op activity: what a case does when a phone campaign opens. */
export async function baselineTimerThenActivity(at: number): Promise<void> {
  baseline.waiting();
  await sleep(Math.max(1, at - Date.now()));
  await baselineNoop();
}

/** Waits for one signal, then runs one no-op activity: what a case does on a mass recode. */
export async function baselineSignalThenActivity(): Promise<void> {
  let poked = false;
  setHandler(pokeSignal, () => void (poked = true));
  baseline.waiting();
  await condition(() => poked);
  await baselineNoop();
}
