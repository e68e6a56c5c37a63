#!/usr/bin/env bash
# Creates, or updates in place, the one pull-request comment that carries the plan: the
# comment is found by the hidden marker line the Markdown plan starts with.
# Usage: github-comment.sh MARKDOWN_FILE
# Needs the GitHub CLI (`gh`), GH_TOKEN, GITHUB_REPOSITORY and PR_NUMBER.
set -euo pipefail

file=$1
marker='<!-- zexa-campaigns-plan -->'
: "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}"

existing=$(gh api --paginate "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" \
  --jq ".[] | select(.body | startswith(\"${marker}\")) | .id" | head -n 1)

if [ -n "$existing" ]; then
  gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${existing}" \
    -F "body=@${file}" > /dev/null
  echo "Updated the plan comment (${existing})."
else
  gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" \
    -F "body=@${file}" > /dev/null
  echo "Posted the plan comment."
fi
