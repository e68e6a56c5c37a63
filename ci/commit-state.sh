#!/usr/bin/env bash
# After an apply: commit the state file, and the journal an unfinished apply leaves beside
# it (a fresh runner then knows which creates may still land), and push. When the branch
# moved on meanwhile (another merge), rebase onto it and push again, a few times.
# Environment: CAMPAIGNS_STATE (default: every *.state.json file, and its journal, so that
# each environment's state file is found); GIT_AUTHOR_NAME and
# GIT_AUTHOR_EMAIL (defaults below); PUSH_ATTEMPTS (default 5); PUSH_TOKEN (a token for the
# fetch and push alone, so that the checkout need not persist credentials).
# Exit 0 when there was nothing to commit or the push went through; 1 otherwise.
set -euo pipefail

if [ -n "${CAMPAIGNS_STATE:-}" ]; then
  files=("$CAMPAIGNS_STATE" "${CAMPAIGNS_STATE}.journal")
  pattern="$CAMPAIGNS_STATE"
else
  files=(":(glob)**/*.state.json" ":(glob)**/*.state.json.journal")
  pattern="*.state.json"
fi
git config user.name >/dev/null || git config user.name "${GIT_AUTHOR_NAME:-zexa-campaigns}"
git config user.email >/dev/null \
  || git config user.email "${GIT_AUTHOR_EMAIL:-zexa-campaigns@users.noreply.github.com}"

# Two applies' state files merge entry by entry (campaigns state merge) when a rebase
# meets both; set up here for this clone only, nothing is committed for it.
if command -v campaigns >/dev/null; then
  git config merge.campaigns-state.driver "campaigns state merge %O %A %B"
  attributes="$(git rev-parse --git-dir)/info/attributes"
  mkdir -p "$(dirname "$attributes")"
  grep -qsF "$pattern merge=campaigns-state" "$attributes" \
    || echo "$pattern merge=campaigns-state" >> "$attributes"
fi

for file in "${files[@]}"; do
  git add -A -- "$file" 2>/dev/null || true  # a journal that never existed is no error
done
if git diff --cached --quiet; then
  echo "The state did not change: nothing to commit."
  exit 0
fi
git commit --quiet -m "campaigns: record campaign IDs from apply [skip ci]"

remote_git() {  # git with the token for this one command; it is never stored in the clone
  if [ -n "${PUSH_TOKEN:-}" ]; then
    local basic
    basic=$(printf 'x-access-token:%s' "$PUSH_TOKEN" | base64 | tr -d '\n')
    echo "::add-mask::${basic}"
    git -c "http.extraheader=AUTHORIZATION: basic ${basic}" "$@"
  else
    git "$@"
  fi
}

branch=$(git rev-parse --abbrev-ref HEAD)
if [ "$branch" = HEAD ]; then branch="${GITHUB_REF_NAME:-${CI_COMMIT_BRANCH:-main}}"; fi
for attempt in $(seq 1 "${PUSH_ATTEMPTS:-5}"); do
  if remote_git push --quiet origin "HEAD:${branch}"; then
    echo "Pushed the state (attempt ${attempt})."
    exit 0
  fi
  echo "The push was refused (the branch moved on?): rebasing onto origin/${branch}."
  remote_git fetch --quiet origin "$branch"
  if ! git rebase --quiet "origin/${branch}"; then
    git rebase --abort || true
    echo "::error::The state could not be rebased onto origin/${branch}: another apply changed it too. Set up the merge driver (campaigns state merge; see the docs), or merge by hand; the IDs are in this job's commit $(git rev-parse --short HEAD)."
    exit 1
  fi
  sleep $((attempt * 2))
done
echo "::error::Could not push the state after ${PUSH_ATTEMPTS:-5} attempts."
exit 1
