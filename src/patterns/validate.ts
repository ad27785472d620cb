import { parsePattern } from './parse';

/**
 * Throws InvalidPatternError if EventBridge would reject the pattern, with the reason it gives
 * (as computed by aws/event-ruler, the matcher EventBridge runs).
 */
export function validatePattern(pattern: unknown): void {
  parsePattern(pattern);
}
