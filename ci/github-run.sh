#!/usr/bin/env bash
# Runs `campaigns <command>` for the GitHub Action (action.yml) and records its outputs.
# Inputs come from the environment: INPUT_COMMAND, INPUT_PATHS, INPUT_ARGS.
# Outputs (to $GITHUB_OUTPUT): exitcode, has-changes, markdown (the plan comment's file).
# It never fails itself: the action's last step fails the job, after the comment is posted.
set -uo pipefail

read -r -a paths <<< "${INPUT_PATHS:-campaigns}"
read -r -a extra <<< "${INPUT_ARGS:-}"
markdown="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/campaigns-plan.md"
rm -f "$markdown"

case "${INPUT_COMMAND:-plan}" in
  validate)
    campaigns validate "${paths[@]}" --format github "${extra[@]}"
    code=$? ;;
  plan)
    campaigns plan "${paths[@]}" --format github --detailed-exitcode \
      --markdown-out "$markdown" "${extra[@]}"
    code=$? ;;
  apply)
    campaigns apply "${paths[@]}" --auto-approve "${extra[@]}"
    code=$? ;;
  *)
    echo "::error::unknown command '${INPUT_COMMAND}': use validate, plan or apply"
    code=1 ;;
esac

{
  echo "exitcode=$code"
  if [ "$code" = 2 ]; then echo "has-changes=true"; else echo "has-changes=false"; fi
  if [ -f "$markdown" ]; then echo "markdown=$markdown"; fi
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit 0
