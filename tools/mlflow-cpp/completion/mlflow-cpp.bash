# bash completion for mlflow-cpp (installed to share/bash-completion/completions/mlflow-cpp).
# Try it without installing: source tools/mlflow-cpp/completion/mlflow-cpp.bash
_mlflow_cpp() {
  COMPREPLY=()
  local cur=${COMP_WORDS[COMP_CWORD]}
  local globals="--tracking-uri --json --help --version"
  local top="experiments runs log artifacts run models prompts traces doctor server-info"
  local group="" sub="" i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    [[ $word == -- ]] && return 0  # after `run --`: the wrapped command's own words
    [[ $word == -* ]] && continue
    if [[ -z $group ]]; then group=$word; elif [[ -z $sub ]]; then sub=$word; fi
  done
  local words
  case "$group" in
    "") words="$top $globals" ;;
    experiments)
      case "$sub" in
        "") words="create search list get rename delete restore" ;;
        create) words="-n --experiment-name -l --artifact-location -t --tag" ;;
        search|list) words="-v --view --max-results --filter --order-by" ;;
        get) words="-x --experiment-id -n --experiment-name" ;;
        rename) words="-x --experiment-id --new-name" ;;
        *) words="-x --experiment-id" ;;
      esac ;;
    runs)
      case "$sub" in
        "") words="create get describe search list history end set-status delete restore" ;;
        create) words="-x --experiment-id -n --experiment-name --run-name --description -t --tag --parent-run-id --status" ;;
        search|list) words="-x --experiment-id -n --experiment-name --filter --order-by -v --view --max-results" ;;
        end) words="-r --run-id --status" ;;
        set-status) words="-r --run-id RUNNING SCHEDULED FINISHED FAILED KILLED" ;;
        *) words="-r --run-id" ;;
      esac ;;
    log)
      case "$sub" in
        "") words="metric param tag batch" ;;
        metric) words="-r --run-id -s --step --timestamp" ;;
        batch) words="-r --run-id --format -"; COMPREPLY=($(compgen -f -- "$cur")) ;;
        *) words="-r --run-id" ;;
      esac ;;
    artifacts)
      case "$sub" in
        "") words="log list download" ;;
        log) words="-r --run-id -p --artifact-path"; COMPREPLY=($(compgen -f -- "$cur")) ;;
        list) words="-r --run-id -p --artifact-path" ;;
        download) words="-r --run-id -p --artifact-path -d --dst-path" ;;
      esac ;;
    run) words="-x --experiment-id -n --experiment-name --run-name -t --tag --system-metrics --" ;;
    models)
      case "$sub" in
        "") words="create get search list set-alias versions" ;;
        versions) words="create get search -r --run-id --description -t --tag -a --alias --filter --max-results" ;;
        create) words="--description -t --tag" ;;
        search|list) words="--filter" ;;
      esac ;;
    prompts)
      case "$sub" in
        "") words="register load format search list" ;;
        register) words="--template --template-file --chat-file -m --commit-message -t --tag" ;;
        load) words="--version" ;;
        format) words="--version -v --var --allow-partial" ;;
        search|list) words="--filter" ;;
      esac ;;
    traces)
      case "$sub" in
        "") words="search get" ;;
        search) words="-x --experiment-id --filter --order-by -r --run-id --max-results" ;;
      esac ;;
  esac
  COMPREPLY+=($(compgen -W "$words $globals" -- "$cur"))
}
complete -F _mlflow_cpp mlflow-cpp
