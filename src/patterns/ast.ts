/**
 * What a pattern compiles to, mirroring event-ruler's JsonRuleCompiler output: a list of sub-rules
 * (one per `$or` branch combination), each mapping a flattened, dot-joined field name to the
 * value patterns any one of which must match that field.
 */
export type SubRule = Map<string, ValuePattern[]>;

/** An inclusive range of IP addresses as fixed-length upper-case hex (8 digits IPv4, 32 IPv6). */
export interface IpRange {
  readonly low: string;
  readonly high: string;
}

export interface WildcardGlob {
  /** Literal runs between the unescaped `*`s; a glob without `*` has exactly one. */
  readonly segments: readonly string[];
}

export type ValuePattern =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly value: boolean | null }
  | { readonly kind: 'ip'; readonly range: IpRange }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly glob: WildcardGlob }
  | { readonly kind: 'range'; readonly low: number; readonly lowOpen: boolean; readonly high: number; readonly highOpen: boolean }
  | { readonly kind: 'numeric-equals'; readonly value: number }
  | { readonly kind: 'exists' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'anything-but-strings'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-numbers'; readonly values: readonly number[] }
  | { readonly kind: 'anything-but-prefix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-suffix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-ignore-case'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-wildcard'; readonly globs: readonly WildcardGlob[] };
