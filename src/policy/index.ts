export { analyzeDocument, analyzePolicy } from './analyze';
export { MAX_WORK_UNITS, WorkBudget } from './budget';
export { MAX_POLICY_CHARS, readPolicyDocument, type PolicyDocument } from './document';
export { PolicyError, type PolicyErrorReason } from './errors';
export { OWNER_ORGANIZATION, UNKNOWN_ACCOUNT } from './pins';
export { ACCESS_RANK, type Access, type AnalysisContext, type PolicyAnalysis, type StatementVerdict } from './types';
export { analyzeIdentityDocument, analyzeIdentityPolicy, decodeIdentityPolicy, SECRET_ADMIN_ACTIONS, SECRET_READ_ACTIONS } from './identity';
export type { IdentityPolicyAnalysis, IdentityStatementGrant, SecretScope } from './identityTypes';
export { actionsOfMask, SECRETS_MANAGER_ACTION_NAMES, type SecretsManagerAction } from './actions';
