#!/usr/bin/env bash
# Checks one run of the action (a step with continue-on-error: true) against what was expected.
#   OUTCOME            steps.<id>.outcome (success | failure)
#   COMPLIANT          steps.<id>.outputs.compliant
#   VIOLATIONS         steps.<id>.outputs.violations
#   ERRORS             steps.<id>.outputs.errors
#   REPORT, SUMMARY    steps.<id>.outputs.report-path / summary-path
#   EXPECT_OUTCOME     success | failure
#   EXPECT_COMPLIANT   true | false
#   EXPECT_VIOLATIONS  none | some
#   EXPECT_ERRORS      none | some | any
#   EXPECT_API_CALLS   none | some (none: a saved snapshot was audited; some: AWS, here the sandbox)
# Prints one line per check and exits 1 if any failed.
set -uo pipefail

failed=0
check() { # check <description> <command...>
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "::error title=Action self-test::$what"; failed=1; fi
}
# shellcheck disable=SC2317 # invoked through check
count_is() { # count_is <none|some|any> <number>
  [[ $2 =~ ^[0-9]+$ ]] || return 1
  case $1 in none) [ "$2" -eq 0 ] ;; some) [ "$2" -gt 0 ] ;; any) true ;; *) return 1 ;; esac
}
# shellcheck disable=SC2317 # invoked through check
report_agrees() {
  # shellcheck disable=SC2016 # jq variables, not shell ones
  jq -e --argjson compliant "${COMPLIANT:-null}" --argjson violations "${VIOLATIONS:-null}" --argjson errors "${ERRORS:-null}" \
    '.reportVersion == 1 and .verdict.compliant == $compliant and .verdict.violations == $violations and .verdict.errors == $errors' \
    "$REPORT" > /dev/null
}

check "the step's outcome: expected $EXPECT_OUTCOME, got '$OUTCOME'" [ "$OUTCOME" = "$EXPECT_OUTCOME" ]
check "output compliant: expected $EXPECT_COMPLIANT, got '$COMPLIANT'" [ "$COMPLIANT" = "$EXPECT_COMPLIANT" ]
check "output violations: expected $EXPECT_VIOLATIONS, got '$VIOLATIONS'" count_is "$EXPECT_VIOLATIONS" "$VIOLATIONS"
check "output errors: expected $EXPECT_ERRORS, got '$ERRORS'" count_is "$EXPECT_ERRORS" "$ERRORS"
check "report-path names a written file: '$REPORT'" [ -s "$REPORT" ]
check "summary-path names a written file: '$SUMMARY'" [ -s "$SUMMARY" ]
if [ -s "$REPORT" ]; then
  check "report.json agrees with the outputs" report_agrees
  calls=$(jq '[.apiCalls // {} | .. | numbers] | add // 0' "$REPORT")
  check "AWS API calls: expected $EXPECT_API_CALLS, report.json counts $calls" count_is "$EXPECT_API_CALLS" "$calls"
fi
if [ -s "$SUMMARY" ]; then
  check "the summary has the audit's heading" grep -q 'Cognito compliance audit' "$SUMMARY"
fi
exit $failed
