# Warnings and sanitizers shared by every target of the project.

function(mlflow_cpp_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(MLFLOW_CPP_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

if(MLFLOW_CPP_SANITIZERS)
  string(REPLACE " " "" _san "${MLFLOW_CPP_SANITIZERS}")
  add_compile_options(-fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_san})
endif()
