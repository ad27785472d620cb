export { analyzeDocument, analyzePolicy } from './analyze';
export { MAX_WORK_UNITS, WorkBudget } from './budget';
export { MAX_POLICY_CHARS, readPolicyDocument, type PolicyDocument } from './document';
export { PolicyError, type PolicyErrorReason } from './errors';
export { OWNER_ORGANIZATION, UNKNOWN_ACCOUNT } from './pins';
export { ACCESS_RANK, type Access, type AnalysisContext, type PolicyAnalysis, type StatementVerdict } from './types';
export { isAnyAwsPrincipal } from './principals';
