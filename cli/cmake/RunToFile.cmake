# cmake -DPROGRAM=EXE "-DARGS=a b" -DOUT=FILE -P RunToFile.cmake: runs EXE with the
# space-separated ARGS and writes its standard output to FILE (the build's man page and
# completion scripts); fails with the program's error output when it fails.
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${args} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE status
                ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed (${status}): ${errors}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
