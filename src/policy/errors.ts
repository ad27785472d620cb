/** Why a resource policy could not be analysed. Stable codes: findings and tests key on them. */
export type PolicyErrorReason =
  | 'missing'
  | 'invalid-json'
  | 'not-an-object'
  | 'too-large'
  | 'invalid-statement'
  | 'invalid-principal'
  | 'invalid-action'
  | 'invalid-condition'
  | 'invalid-resource'
  | 'too-complex'
  | 'internal-error';

/** The only error the analyzer throws: hostile input ends here, typed, never as a TypeError or a hang. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly reason: PolicyErrorReason,
    message: string,
  ) {
    super(message);
  }
}
