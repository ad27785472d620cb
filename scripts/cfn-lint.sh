#!/usr/bin/env bash
# Lints the packaged CloudFormation template with cfn-lint (offline).
#
#   npm run package -- --stage prod --region eu-west-1   # writes .serverless/
#   scripts/cfn-lint.sh [TEMPLATE] [-- extra cfn-lint arguments]
#
# Fails on errors and on warnings. Regions to validate against (resource and property
# availability): CFN_LINT_REGIONS, default "us-east-1 eu-west-1".
#
# No rule is ignored. The one warning the Framework's own template had (W3005, a function's
# DependsOn on the role its Fn::GetAtt already names) is removed from the compiled template by
# serverless/redundantDependsOn.js.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="${1:-$root/.serverless/cloudformation-template-update-stack.json}"
[[ $# -gt 0 ]] && shift
[[ "${1:-}" == "--" ]] && shift

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint: command not found (pip install cfn-lint)" >&2
  exit 127
fi
if [[ ! -f "$template" ]]; then
  echo "cfn-lint: $template not found; package first: npm run package" >&2
  exit 2
fi

read -r -a regions <<<"${CFN_LINT_REGIONS:-us-east-1 eu-west-1}"
echo "cfn-lint $(cfn-lint --version | awk '{print $NF}') on ${template#"$root"/} (regions: ${regions[*]})"

status=0
cfn-lint --format parseable --non-zero-exit-code warning --regions "${regions[@]}" "$@" -- "$template" || status=$?
# cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational, 1 a failure of its own.
if (( status != 0 )); then
  echo "cfn-lint: FAILED (exit $status)" >&2
  exit 1
fi
echo "cfn-lint: no errors, no warnings"
