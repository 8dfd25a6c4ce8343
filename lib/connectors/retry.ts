/**
 * Exponential backoff with full jitter: attempt n waits a random time up to base * 2^n,
 * capped. `random` is injectable so tests are deterministic.
 */
export function backoffMs(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const { baseMs = 200, maxMs = 30_000, random = Math.random } = options;
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/**
 * Calls `attempt` until it gives an answer that is not transient, or `maxAttempts` calls have
 * been made; the last answer is returned either way.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  isTransient: (answer: T) => boolean,
  options: { maxAttempts: number; baseMs?: number; maxMs?: number; sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let answer = await attempt();
  for (let tried = 1; tried < options.maxAttempts && isTransient(answer); tried++) {
    await sleep(backoffMs(tried - 1, options));
    answer = await attempt();
  }
  return answer;
}
