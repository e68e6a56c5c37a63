#!/usr/bin/env bash
# Runs `campaigns <command>` for the GitHub Action (action.yml) and records its outputs.
# Inputs come from the environment (never from `${{ }}` inside the script):
#   INPUT_COMMAND  validate, plan or apply
#   INPUT_PATHS    definition files or folders, one per line
#   INPUT_ARGS     extra arguments, one per line (a value with spaces stays one argument)
#   PR_FROM_FORK   "true" on a pull request from a fork
# Outputs (to $GITHUB_OUTPUT): exitcode, has-changes, markdown (the comment's file: the
# plan, or what apply did).
# It never fails itself: the action's last step fails the job on any exit code but 0 and 2,
# after the comment is posted and the state committed.
set -uo pipefail

lines() {  # one array element a non-empty line, surrounding blanks trimmed
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [ -n "$line" ] && printf '%s\0' "$line"
  done <<< "$1"
}
mapfile -d '' -t paths < <(lines "${INPUT_PATHS:-campaigns}")
mapfile -d '' -t extra < <(lines "${INPUT_ARGS:-}")
markdown="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/campaigns-${INPUT_COMMAND:-plan}.md"
rm -f "$markdown"
command="${INPUT_COMMAND:-plan}"

# A pull request from a fork (or from Dependabot) gets no secrets and a read-only token:
# check what can be checked without the API rather than fail for want of a key.
if [ "$command" = plan ] && [ -z "${ZEXA_API_KEY:-}" ] \
   && { [ "${PR_FROM_FORK:-}" = true ] || [ "${GITHUB_ACTOR:-}" = "dependabot[bot]" ]; }; then
  echo "::notice::No API key on this pull request (a fork or Dependabot gets no secrets): validating only; the plan runs once the change is on a branch of this repository."
  command=validate
  # validate takes --env and --config (it still checks that environment's aliases); the
  # plan's other options (--target, --out, ...) mean nothing to it.
  kept=()
  for ((i = 0; i < ${#extra[@]}; i++)); do
    case "${extra[i]}" in
      --env|--config) kept+=("${extra[i]}" "${extra[i + 1]:-}"); i=$((i + 1)) ;;
      --env=*|--config=*) kept+=("${extra[i]}") ;;
      --*=*) ;;
      --*) case "${extra[i + 1]:-}" in --*|"") ;; *) i=$((i + 1)) ;; esac ;;
    esac
  done
  extra=("${kept[@]}")
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '### Zexa campaigns\n\nValidated only: a pull request from a fork gets no secrets, so no plan was made.\n' >> "$GITHUB_STEP_SUMMARY"
  fi
fi

case "$command" in
  validate)
    campaigns validate "${paths[@]}" --format github "${extra[@]}"
    code=$? ;;
  plan)
    campaigns plan "${paths[@]}" --format github --detailed-exitcode \
      --markdown-out "$markdown" "${extra[@]}"
    code=$? ;;
  apply)
    campaigns apply "${paths[@]}" --auto-approve --markdown-out "$markdown" "${extra[@]}"
    code=$? ;;
  *)
    echo "::error::unknown command '${command}': use validate, plan or apply"
    code=1 ;;
esac

{
  echo "exitcode=$code"
  if [ "$code" = 2 ]; then echo "has-changes=true"; else echo "has-changes=false"; fi
  if [ -f "$markdown" ]; then echo "markdown=$markdown"; fi
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit 0
