#!/usr/bin/env bash
# The shipped bash completion offers the tool's real commands and options: every word it offers
# at the top level and for each group must be accepted by the binary's --help.
#   completion_test.sh MLFLOW_CPP_BINARY COMPLETION_SCRIPT
set -euo pipefail
cli=$1
source "$2"
complete_words() {  # complete_words WORD... (the last one is being typed)
  COMP_WORDS=(mlflow-cpp "$@"); COMP_CWORD=$#; _mlflow_cpp mlflow-cpp "${!#}"; echo "${COMPREPLY[*]}"
}
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ $(complete_words ex) == experiments ]] || fail "ex -> $(complete_words ex)"
[[ " $(complete_words runs '') " == *" set-status "* ]] || fail "runs subcommands"
[[ " $(complete_words log metric --s) " == *" --step "* ]] || fail "log metric --step"
[[ -z $(complete_words run -- ls '') ]] || fail "words after run -- are the command's"
for group in experiments runs log artifacts models prompts traces; do
  for sub in $(complete_words "$group" ''); do
    [[ $sub == -* ]] && continue
    "$cli" "$group" "$sub" --help >/dev/null || fail "$group $sub is offered but unknown"
  done
done
for group in $(complete_words ''); do
  [[ $group == -* ]] && continue
  "$cli" "$group" --help >/dev/null || fail "$group is offered but unknown"
done
echo "completion offers only real commands"

# zsh runs the same function through bashcompinit: 1-based arrays, COMP_CWORD = CURRENT - 1.
if command -v zsh >/dev/null; then
  offered=$(zsh -f -c 'autoload -U +X bashcompinit && bashcompinit 2>/dev/null; source "$1";
    COMP_WORDS=(mlflow-cpp runs create --r); COMP_CWORD=3; _mlflow_cpp mlflow-cpp --r create;
    print -r -- "${COMPREPLY[@]}"' zsh "$2" 2>/dev/null)
  [[ " $offered " == *" --run-name "* ]] || fail "zsh: runs create options: $offered"
  echo "zsh: same completions"
else
  echo "zsh not installed: its check did not run"
fi
