# Runs `bcma scenario run FILE...` and checks that it fails the way a person would see it fail:
# exit status 1 and each EXPECT text in its output (stdout or stderr). Proves the runner can fail.
#   cmake -DBCMA=<bcma> -DFILES=<scenario>[|<scenario>...] -DEXPECT=<text>[|<text>...] -P expect_failure.cmake
# ("|" separates items: a ";" would be split by add_test before it reaches this script.)
string(REPLACE "|" ";" files "${FILES}")
string(REPLACE "|" ";" expected "${EXPECT}")
execute_process(COMMAND "${BCMA}" scenario run ${files}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit status 1, got ${rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
foreach(text IN LISTS expected)
  string(FIND "${out}${err}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected the output to contain: ${text}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
endforeach()
