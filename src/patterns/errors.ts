/**
 * Thrown when EventBridge would refuse a pattern. `reason` (and `message`) is the text EventBridge
 * gives after "Event pattern is not valid. Reason: ", without the Jackson source location it
 * appends, so callers can show it verbatim and tests can compare it with AWS's own matcher.
 */
export class InvalidPatternError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidPatternError';
    this.reason = reason;
  }
}

/** Shorthand for the many rejection sites in the pattern compiler. */
export function reject(reason: string): never {
  throw new InvalidPatternError(reason);
}
