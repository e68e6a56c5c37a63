#!/usr/bin/env bash
# Creates, or updates in place, the one pull-request comment that carries the plan.
# A comment is ours only when it starts with the plan's hidden marker line AND was written
# by the same identity as this token: anyone can post a comment that starts with the
# marker, and such a comment is never edited. Usage: github-comment.sh MARKDOWN_FILE
# Needs the GitHub CLI (`gh`; GH_TOKEN is enough, no `gh auth login`), python3,
# GITHUB_REPOSITORY and PR_NUMBER. COMMENT_AUTHOR overrides the identity. A token that
# cannot comment (a fork's read-only token: 403) gives a warning, never a failure.
set -uo pipefail

file=$1
# The plan's first line is its marker: one per environment (<!-- zexa-campaigns-plan:NAME -->).
marker=$(head -n 1 "$file")
case "$marker" in
  "<!-- zexa-campaigns-plan"*) ;;
  *) echo "::error::$file does not start with the plan's marker line"; exit 1 ;;
esac
: "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}"

author="${COMMENT_AUTHOR:-}"
if [ -z "$author" ]; then
  # A personal or app token can say who it is; the workflow's token cannot (403), and
  # its comments are written by github-actions[bot].
  author=$(gh api user 2>/dev/null | python3 -c \
    'import json, sys; print(json.load(sys.stdin).get("login") or "")' 2>/dev/null) || author=""
  [ -n "$author" ] || author="github-actions[bot]"
fi

if ! listing=$(gh api --paginate "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" 2>&1); then
  echo "::warning::Could not read the pull request's comments (${listing}); the plan is in the job summary."
  exit 0
fi
# `--paginate` prints one JSON array a page, back to back.
existing=$(printf '%s' "$listing" | python3 -c '
import json, sys
author, marker, text = sys.argv[1], sys.argv[2], sys.stdin.read()
decoder, at, comments = json.JSONDecoder(), 0, []
while at < len(text):
    if text[at].isspace():
        at += 1
        continue
    page, at = decoder.raw_decode(text, at)
    comments += page
ours = [c["id"] for c in comments
        if (c.get("user") or {}).get("login") == author
        and (c.get("body") or "").startswith(marker)]
print(ours[0] if ours else "")
' "$author" "$marker")

if [ -n "$existing" ]; then
  if out=$(gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${existing}" \
      -F "body=@${file}" 2>&1); then
    echo "Updated the plan comment (${existing})."
  else
    echo "::warning::Could not update the plan comment (${out}); the plan is in the job summary."
  fi
elif out=$(gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" \
    -F "body=@${file}" 2>&1); then
  echo "Posted the plan comment."
else
  echo "::warning::Could not comment on the pull request (${out}); a fork's pull request gets a read-only token. The plan is in the job summary."
fi
exit 0
