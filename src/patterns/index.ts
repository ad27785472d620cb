// EventBridge event patterns, matched as AWS's own matcher (aws/event-ruler) does.
export { InvalidPatternError } from './errors';
export { validatePattern } from './validate';
export { compilePattern, matchesPattern, type CompiledPattern } from './compile';
