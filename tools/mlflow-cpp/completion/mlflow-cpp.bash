# bash completion for mlflow-cpp (installed to share/bash-completion/completions/mlflow-cpp).
# Try it without installing: source tools/mlflow-cpp/completion/mlflow-cpp.bash
_mlflow_cpp() {
  COMPREPLY=()
  local cur=$2  # the word being completed (bash and zsh's bashcompinit both pass it)
  local globals="--tracking-uri --json --help --version"
  local top="experiments runs log artifacts run models prompts traces doctor server-info sync"
  local group="" sub="" i word first=1 last=$((COMP_CWORD - 1))
  # zsh's bashcompinit: 1-based arrays, the command at 1, the current word at COMP_CWORD + 1.
  if [[ -n ${ZSH_VERSION:-} ]]; then first=2; last=$COMP_CWORD; fi
  for ((i = first; i <= last; i++)); do
    word=${COMP_WORDS[i]}
    [[ $word == -- ]] && return 0  # after `run --`: the wrapped command's own words
    [[ $word == -* ]] && continue
    if [[ -z $group ]]; then group=$word; elif [[ -z $sub ]]; then sub=$word; fi
  done
  local candidates
  case "$group" in
    "") candidates="$top" ;;
    experiments)
      case "$sub" in
        "") candidates="create search list get rename delete restore" ;;
        create) candidates="-n --experiment-name -l --artifact-location -t --tag" ;;
        search|list) candidates="-v --view --max-results --filter --order-by" ;;
        get) candidates="-x --experiment-id -n --experiment-name" ;;
        rename) candidates="-x --experiment-id --new-name" ;;
        *) candidates="-x --experiment-id" ;;
      esac ;;
    runs)
      case "$sub" in
        "") candidates="create get describe search list history end set-status delete restore" ;;
        create) candidates="-x --experiment-id -n --experiment-name --run-name --description -t --tag --parent-run-id --status" ;;
        search|list) candidates="-x --experiment-id -n --experiment-name --filter --order-by -v --view --max-results" ;;
        end) candidates="-r --run-id --status" ;;
        set-status) candidates="-r --run-id RUNNING SCHEDULED FINISHED FAILED KILLED" ;;
        *) candidates="-r --run-id" ;;
      esac ;;
    log)
      case "$sub" in
        "") candidates="metric param tag batch" ;;
        metric) candidates="-r --run-id -s --step --timestamp" ;;
        batch) candidates="-r --run-id --format -"; COMPREPLY=($(compgen -f -- "$cur")) ;;
        *) candidates="-r --run-id" ;;
      esac ;;
    artifacts)
      case "$sub" in
        "") candidates="log list download" ;;
        log) candidates="-r --run-id -p --artifact-path"; COMPREPLY=($(compgen -f -- "$cur")) ;;
        list) candidates="-r --run-id -p --artifact-path" ;;
        download) candidates="-r --run-id -p --artifact-path -d --dst-path" ;;
      esac ;;
    run) candidates="-x --experiment-id -n --experiment-name --run-name -t --tag --system-metrics --" ;;
    models)
      case "$sub" in
        "") candidates="create get search list set-alias versions" ;;
        versions) candidates="create get search -r --run-id --description -t --tag -a --alias --filter --max-results" ;;
        create) candidates="--description -t --tag" ;;
        search|list) candidates="--filter" ;;
      esac ;;
    prompts)
      case "$sub" in
        "") candidates="register load format search list" ;;
        register) candidates="--template --template-file --chat-file -m --commit-message -t --tag" ;;
        load) candidates="--version" ;;
        format) candidates="--version -v --var --allow-partial" ;;
        search|list) candidates="--filter" ;;
      esac ;;
    traces)
      case "$sub" in
        "") candidates="search get" ;;
        search) candidates="-x --experiment-id --filter --order-by -r --run-id --max-results" ;;
      esac ;;
    sync) candidates="-e --experiment --dry-run --state --parallel" ;;
  esac
  COMPREPLY+=($(compgen -W "$candidates $globals" -- "$cur"))
}
complete -F _mlflow_cpp mlflow-cpp
