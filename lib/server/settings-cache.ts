import "server-only";

/**
 * Connector settings change rarely and bulk runs read them per row: a few seconds of caching saves
 * a query per row, and a settings change clears this process's cache at once. On globalThis: Next
 * may load a module once for server actions and once for the background work, and a settings
 * change must clear the cache both use.
 */
const CACHE_MS = 5_000;
const globalForCache = globalThis as unknown as {
  __omsConnectorCache?: Map<string, { at: number; value: unknown }>;
};
globalForCache.__omsConnectorCache ??= new Map();
const cache = globalForCache.__omsConnectorCache;

export function invalidateConnectorCache(): void {
  cache.clear();
}

export async function cachedSetting<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as T;
  const value = await load();
  cache.set(key, { at: Date.now(), value });
  return value;
}
