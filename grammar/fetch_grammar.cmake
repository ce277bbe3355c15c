# grammar/fetch_grammar.cmake: pitfall_grammar(), the one function that fetches, verifies,
# unpacks and builds a tree-sitter grammar published on the npm registry.
#
# Steps, each failing configure with one line that says what to do:
#   1. `npm pack NAME@VERSION` into the build tree (skipped when a tarball with the pinned hash
#      is already there, so re-configuring works offline);
#   2. compare the tarball's sha512 with the pinned value (the hex form of the registry's
#      `dist.integrity`);
#   3. unpack it and build src/parser.c (and src/scanner.c when present) as a static library.

function(pitfall_grammar)
  # OVERRIDE_VARIABLE names the cache variable that sets OVERRIDE_DIR, for the messages.
  cmake_parse_arguments(G "" "TARGET;PACKAGE;VERSION;SHA512;OVERRIDE_DIR;OVERRIDE_VARIABLE" "" ${ARGN})
  set(advice "-D${G_OVERRIDE_VARIABLE}=<unpacked ${G_PACKAGE}@${G_VERSION}>")
  string(REGEX REPLACE "[@/]" "_" safe_name "${G_PACKAGE}")
  set(work "${CMAKE_BINARY_DIR}/_grammar/${safe_name}-${G_VERSION}")

  if(G_OVERRIDE_DIR)
    set(root "${G_OVERRIDE_DIR}")
    if(NOT EXISTS "${root}/src/parser.c")
      message(FATAL_ERROR "pitfall: ${root}/src/parser.c not found; point ${G_OVERRIDE_VARIABLE} at an unpacked ${G_PACKAGE}@${G_VERSION} package (the folder holding src/).")
    endif()
  else()
    file(MAKE_DIRECTORY "${work}")
    file(GLOB tarballs "${work}/*.tgz")
    set(tarball "")
    foreach(candidate IN LISTS tarballs)
      file(SHA512 "${candidate}" have)
      if(have STREQUAL G_SHA512)
        set(tarball "${candidate}")
      endif()
    endforeach()
    if(NOT tarball)
      find_program(NPM_EXECUTABLE npm)
      if(NOT NPM_EXECUTABLE)
        message(FATAL_ERROR "pitfall: npm not found; install it (apt-get install npm) or pass ${advice}.")
      endif()
      execute_process(
        COMMAND "${NPM_EXECUTABLE}" pack "${G_PACKAGE}@${G_VERSION}" --loglevel=error
        WORKING_DIRECTORY "${work}"
        RESULT_VARIABLE npm_result
        OUTPUT_VARIABLE npm_out
        ERROR_VARIABLE npm_err)
      # npm versions differ in what they print; the tarball is the one .tgz in the folder.
      file(GLOB packed "${work}/*.tgz")
      list(LENGTH packed packed_count)
      if(NOT npm_result EQUAL 0 OR NOT packed_count EQUAL 1)
        # npm's whole output goes to a log; the message keeps its first error line only.
        set(log "${work}/npm-pack.log")
        file(WRITE "${log}" "${npm_out}${npm_err}")
        if(packed)
          file(REMOVE ${packed})
        endif()
        string(REGEX MATCH "npm (error|ERR!)[^\n]*" npm_first_error "${npm_err}")
        string(REGEX REPLACE "[ \t\r]+$" "" npm_first_error "${npm_first_error}")
        if(NOT npm_first_error)
          set(npm_first_error "exit status ${npm_result}")
        endif()
        message(FATAL_ERROR "pitfall: `npm pack ${G_PACKAGE}@${G_VERSION}` failed (${npm_first_error}; full output in ${log}); check network access to the npm registry or pass ${advice}.")
      endif()
      set(tarball "${packed}")
      file(SHA512 "${tarball}" have)
      if(NOT have STREQUAL G_SHA512)
        file(REMOVE "${tarball}")
        message(FATAL_ERROR "pitfall: ${G_PACKAGE}@${G_VERSION} tarball sha512 is ${have}, expected ${G_SHA512}; the download is corrupt or tampered with; do not build with it (or pass ${advice}).")
      endif()
    endif()
    set(root "${work}/package")
    if(NOT EXISTS "${root}/src/parser.c")
      file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${work}")
    endif()
  endif()

  set(sources "${root}/src/parser.c")
  if(EXISTS "${root}/src/scanner.c")
    list(APPEND sources "${root}/src/scanner.c")
  endif()
  add_library(${G_TARGET} STATIC ${sources})
  target_include_directories(${G_TARGET} PRIVATE "${root}/src")
  # Generated code: build it as the grammar authors do, without our warning flags.
  set_target_properties(${G_TARGET} PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${G_TARGET} PRIVATE -w -O2)
endfunction()
