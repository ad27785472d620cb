/** The new policy as PutResourcePolicy sent it: CloudTrail's JSON string, or an object some exporters write. null when there is none. */
export function policyText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() ? value : null;
  if (typeof value !== 'object' || value === null) return null;
  try {
    return JSON.stringify(value);
  } catch {
    // Nested too deeply to serialise (a hostile record): there is nothing sensible to send.
    return null;
  }
}
