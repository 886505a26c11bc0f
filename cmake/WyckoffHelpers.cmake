# One helper gives every module the same shape: a library target wyckoff_NAME with the alias
# wyckoff::NAME, public headers in NAME/include, sources in NAME/src, and the project warnings.

function(wyckoff_apply_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion
                                           # g++ 12 false positives in std::string concatenation
                                           -Wno-restrict
                                           # designated initialisers leave the rest defaulted
                                           -Wno-missing-field-initializers)
  if(WYCKOFF_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(WYCKOFF_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# wyckoff_add_library(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
function(wyckoff_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(wyckoff_${name} ${ARG_SOURCES})
  add_library(wyckoff::${name} ALIAS wyckoff_${name})
  target_include_directories(wyckoff_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(wyckoff_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  wyckoff_apply_warnings(wyckoff_${name})
endfunction()

# wyckoff_add_test(NAME SOURCES ... DEPS ... [LABELS ...]): one GoogleTest binary, each test
# registered with ctest under the given labels.
function(wyckoff_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} wyckoff_test_support GTest::gtest_main)
  wyckoff_apply_warnings(${name})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  set(environment "")
  if(WYCKOFF_SANITIZE)
    # Third-party leaks LeakSanitizer is told to ignore (the file says which and why).
    set(environment ENVIRONMENT
        "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/sanitizers/lsan.supp")
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${ARG_LABELS}" ${environment}
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} DISCOVERY_TIMEOUT 60)
endfunction()
