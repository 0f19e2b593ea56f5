# cli/cli.cmake - what the command line adds to the build: the bash and
# zsh completion scripts, printed by the hidden `slac completion bash|zsh`
# from the commands' option tables (cli/options.h), so that they cannot
# drift from the parser; and their installation.
set(SLAC_COMPLETION_DIR ${PROJECT_BINARY_DIR}/completion)
add_custom_command(
  OUTPUT ${SLAC_COMPLETION_DIR}/slac.bash ${SLAC_COMPLETION_DIR}/_slac
  COMMAND ${CMAKE_COMMAND} -E make_directory ${SLAC_COMPLETION_DIR}
  COMMAND $<TARGET_FILE:slac_cli> completion bash > ${SLAC_COMPLETION_DIR}/slac.bash
  COMMAND $<TARGET_FILE:slac_cli> completion zsh > ${SLAC_COMPLETION_DIR}/_slac
  DEPENDS slac_cli
  COMMENT "Generating the bash and zsh completions of slac"
  VERBATIM)
add_custom_target(slac_completion ALL
  DEPENDS ${SLAC_COMPLETION_DIR}/slac.bash ${SLAC_COMPLETION_DIR}/_slac)
install(FILES ${SLAC_COMPLETION_DIR}/slac.bash
        DESTINATION share/bash-completion/completions RENAME slac)
install(FILES ${SLAC_COMPLETION_DIR}/_slac DESTINATION share/zsh/site-functions)
