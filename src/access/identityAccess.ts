import type { SecretScope } from '../policy';
import type { AuthorizationDetails, PolicySource } from './authorizationDetails';
import { type DocumentEffect, documentEffect } from './documentEffect';
import type { AccessGrant, RoleDetail, UserDetail } from './types';

/** What a principal's own identity policies and permission boundary do to GetSecretValue on the secret. */
export interface IdentityAccess {
  /** The Allow statements of its policies, each with what still limits it. */
  grants: AccessGrant[];
  /** The cache key of each grant's policy: its own conditional Denies are already on it. */
  grantSources: string[];
  /** A Deny that applies unconditionally, in words; then nothing else matters. */
  deniedBy: string | null;
  /** Conditional Denies of its policies: each limits every grant, identity or resource. */
  denyConditions: { source: string; text: string }[];
  /** The permission boundary leaves GetSecretValue: false when it has no Allow for it. */
  boundaryPermits: boolean;
  /** What the boundary's Allow still requires, in words. */
  boundaryConditions: string[];
}

/**
 * Evaluates identity policies against one secret, each managed policy once whoever has it. Every
 * document that cannot be analysed or found is reported once through `note`.
 */
export class IdentityEvaluator {
  private readonly effects = new Map<string, DocumentEffect>();

  constructor(
    private readonly details: AuthorizationDetails,
    private readonly scope: SecretScope,
    private readonly note: (text: string) => void,
  ) {}

  private effectOf(source: PolicySource, holder: string): DocumentEffect | null {
    if (source.document === null) {
      this.note(`policy ${source.policy} attached to ${holder} is not in the authorization details`);
      return null;
    }
    let effect = this.effects.get(source.cacheKey);
    if (!effect) {
      effect = documentEffect(source.document, this.scope);
      this.effects.set(source.cacheKey, effect);
    }
    if (effect.error !== null) this.note(`policy ${source.policy} of ${holder} could not be analysed: ${effect.error}`);
    return effect;
  }

  access(principal: RoleDetail | UserDetail, arn: string): IdentityAccess {
    const grants: AccessGrant[] = [];
    const grantSources: string[] = [];
    const denyConditions: IdentityAccess['denyConditions'] = [];
    let deniedBy: string | null = null;
    for (const source of this.details.policiesOf(principal, arn)) {
      const effect = this.effectOf(source, source.group ? `group ${source.group}` : arn);
      if (!effect) continue;
      for (const allow of effect.allows) {
        grants.push({ via: 'identity', policy: source.policy, policyType: source.policyType, group: source.group, statement: allow.statement, conditions: [...allow.conditions] });
        grantSources.push(source.cacheKey);
      }
      for (const deny of effect.denies) {
        if (deny.conditions.length === 0) deniedBy ??= `${source.policy} ${deny.statement}`;
        else denyConditions.push({ source: source.cacheKey, text: `unless ${source.policy} ${deny.statement} denies it when ${deny.conditions.join(' and ')}` });
      }
    }
    const boundary = this.boundary(principal, arn);
    return { grants, grantSources, deniedBy: deniedBy ?? boundary.deniedBy, denyConditions: [...denyConditions, ...boundary.denyConditions], ...boundary.permits };
  }

  private boundary(principal: RoleDetail | UserDetail, arn: string) {
    const none = { deniedBy: null, denyConditions: [], permits: { boundaryPermits: true, boundaryConditions: [] as string[] } };
    const boundaryArn = principal.PermissionsBoundary?.PermissionsBoundaryArn;
    if (!boundaryArn) return none;
    const source: PolicySource = { policy: boundaryArn, policyType: 'managed', group: null, cacheKey: `managed ${boundaryArn}`, document: this.details.managedDocument(boundaryArn) };
    const effect = this.effectOf(source, `${arn} as its permission boundary`);
    if (!effect || effect.error !== null) return { ...none, permits: { boundaryPermits: true, boundaryConditions: [`permission boundary ${boundaryArn} could not be read`] } };
    const certain = effect.denies.find((d) => d.conditions.length === 0);
    const denyConditions = effect.denies
      .filter((d) => d.conditions.length > 0)
      .map((d) => ({ source: source.cacheKey, text: `unless permission boundary ${boundaryArn} ${d.statement} denies it when ${d.conditions.join(' and ')}` }));
    const unconditional = effect.allows.some((a) => a.conditions.length === 0);
    const boundaryConditions = unconditional
      ? []
      : effect.allows.length > 0
        ? [`permission boundary ${boundaryArn} allows it only when ${effect.allows.map((a) => a.conditions.join(' and ')).join(', or ')}`]
        : [];
    return {
      deniedBy: certain ? `permission boundary ${boundaryArn} ${certain.statement}` : null,
      denyConditions,
      permits: { boundaryPermits: effect.allows.length > 0, boundaryConditions },
    };
  }
}
