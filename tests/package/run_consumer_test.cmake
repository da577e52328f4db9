# cmake -P script: install → configure consumer → build → run.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    message(STATUS "${out}")
endfunction()

run("${CMAKE_COMMAND}" --install "${FLIGHTBOOK_BINARY_DIR}" --prefix "${prefix}")
if(NOT EXISTS "${prefix}/lib/cmake/flightbook/flightbook-config.cmake"
   AND NOT EXISTS "${prefix}/lib/x86_64-linux-gnu/cmake/flightbook/flightbook-config.cmake")
    message(FATAL_ERROR "install did not produce flightbook-config.cmake")
endif()
file(GLOB_RECURSE pc_files "${prefix}/*/flightbook.pc")
if(NOT pc_files)
    message(FATAL_ERROR "install did not produce flightbook.pc")
endif()

run("${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/build"
    -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=${BUILD_TYPE} "-DCMAKE_PREFIX_PATH=${prefix}")
run("${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/consumer")

# The same program built with nothing but pkg-config.
get_filename_component(pc_dir "${pc_files}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
execute_process(COMMAND pkg-config --cflags --libs flightbook
                RESULT_VARIABLE rc OUTPUT_VARIABLE pc_flags OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config flightbook failed")
endif()
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
run(c++ "${CONSUMER_SOURCE_DIR}/main.cpp" -o "${WORK_DIR}/consumer-pkgconfig" ${pc_flags})
run("${WORK_DIR}/consumer-pkgconfig")
