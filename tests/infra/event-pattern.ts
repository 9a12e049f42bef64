/**
 * EventBridge's matching rules for the subset of event patterns dropfeed's rule uses: a leaf is an array of
 * literal values (the event's value must equal one), an object recurses. Anything else (prefix, anything-but,
 * numeric...) throws, so a pattern this cannot judge never passes by accident. The real matcher is the
 * EventBridge service (TestEventPattern API), which cannot be reached offline.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    for (const value of pattern) {
      if (typeof value === 'object' && value !== null) {
        throw new Error(`unsupported pattern operator ${JSON.stringify(value)}`);
      }
    }
    const values = Array.isArray(event) ? event : [event];
    return values.some((value) => pattern.includes(value));
  }
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof event !== 'object' || event === null) return false;
    return Object.entries(pattern).every(([field, sub]) =>
      matchesEventPattern(sub, (event as Record<string, unknown>)[field]),
    );
  }
  throw new Error(`a pattern leaf must be an array, got ${JSON.stringify(pattern)}`);
}
