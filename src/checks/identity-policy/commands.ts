import { cliNameOption, cliNoun, isIamPrincipalType } from '../../resources/iam';
import { shellQuote } from '../finding';
import type { IdentityPolicyChange } from './change';

/** The command that undoes the change: delete the inline policy, detach the managed one, or go back to the previous default version. */
export function undoCommand(change: IdentityPolicyChange): string {
  const { principal, policy } = change;
  if (principal && isIamPrincipalType(principal.type)) {
    const who = `${cliNameOption(principal.type)} ${shellQuote(principal.name ?? '<name>')}`;
    if (change.kind === 'inline') return `aws iam delete-${cliNoun(principal.type)}-policy ${who} --policy-name ${shellQuote(policy.name ?? '<policy-name>')}`;
    return `aws iam detach-${cliNoun(principal.type)}-policy ${who} --policy-arn ${shellQuote(policy.arn ?? '<policy-arn>')}`;
  }
  return `aws iam set-default-policy-version --policy-arn ${shellQuote(policy.arn ?? '<policy-arn>')} --version-id ${change.previousVersionId ?? '<previous-version-id>'}`;
}

/** The sentence a remediation ends with: the undo command, and how to find the version to go back to when it is not known. */
export function undoAdvice(change: IdentityPolicyChange): string {
  const undo = `Unless it is intended, undo it: ${undoCommand(change)}.`;
  if (change.kind !== 'default-version') return undo;
  const list = `aws iam list-policy-versions --policy-arn ${shellQuote(change.policy.arn ?? '<policy-arn>')}`;
  return change.previousVersionId ? `${undo} (${change.previousVersionId} is the most recent other version; confirm with ${list}.)` : `${undo} Find the version to go back to with ${list}.`;
}
