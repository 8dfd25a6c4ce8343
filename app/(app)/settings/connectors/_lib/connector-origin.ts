/** `https://host:port` of an address, or null when there is none (shared by the form and the save). */
export function originOf(url: string | null): string | null {
  if (!url || !URL.canParse(url)) return null;
  return new URL(url).origin;
}
