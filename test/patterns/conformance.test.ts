import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePattern, InvalidPatternError, validatePattern } from '../../src/patterns';

// Ground truth: test/fixtures/eventbridge-patterns.json, a verbatim copy of the project's shared
// conformance vectors, whose expected values were computed with aws/event-ruler 2.0.1 (see
// test/fixtures/SOURCES.md). Every vector must pass.

interface Case {
  event: unknown;
  matches: boolean;
}
interface Vector {
  pattern: unknown;
  valid: boolean;
  why?: string;
  cases?: Case[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eventbridge-patterns.json'), 'utf8')) as { vectors: Vector[] };
const vectors = fixture.vectors.map((vector, index) => ({ index, vector, label: JSON.stringify(vector.pattern) }));

function rejection(pattern: unknown): unknown {
  try {
    validatePattern(pattern);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('EventBridge conformance vectors (aws/event-ruler 2.0.1)', () => {
  it('loads a non-trivial fixture', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40);
  });

  const invalid = vectors.filter(({ vector }) => !vector.valid);
  const valid = vectors.filter(({ vector }) => vector.valid);

  test.each(invalid)('vector #$index is rejected: $label', ({ index, vector }) => {
    const error = rejection(vector.pattern);
    if (!(error instanceof InvalidPatternError)) {
      throw new Error(`vector #${index}: expected InvalidPatternError for ${JSON.stringify(vector.pattern)}, got ${error === undefined ? 'no error' : String(error)}`);
    }
    if (vector.why !== undefined && error.reason !== vector.why) {
      throw new Error(`vector #${index}: reason mismatch for ${JSON.stringify(vector.pattern)}\n  expected: ${vector.why}\n  actual:   ${error.reason}`);
    }
    expect(error.message).toBe(error.reason);
    expect(() => compilePattern(vector.pattern)).toThrow(InvalidPatternError);
  });

  test.each(valid)('vector #$index matches as event-ruler does: $label', ({ index, vector }) => {
    const error = rejection(vector.pattern);
    if (error !== undefined) {
      throw new Error(`vector #${index}: ${JSON.stringify(vector.pattern)} is valid but was rejected: ${String(error)}`);
    }
    const compiled = compilePattern(vector.pattern);
    const failures = (vector.cases ?? [])
      .map((c, caseIndex) => ({ ...c, caseIndex, actual: compiled.matches(c.event) }))
      .filter((c) => c.actual !== c.matches)
      .map((c) => `vector #${index} case #${c.caseIndex}\n  pattern:  ${JSON.stringify(vector.pattern)}\n  event:    ${JSON.stringify(c.event)}\n  expected: ${c.matches}\n  actual:   ${c.actual}`);
    if (failures.length > 0) throw new Error(failures.join('\n'));
    expect(vector.cases?.length ?? 0).toBeGreaterThan(0);
  });
});
