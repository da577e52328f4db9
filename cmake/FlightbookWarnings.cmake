# Warnings for flightbook's own targets only (never for consumers).
function(flightbook_set_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
        -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference)
    if(FLIGHTBOOK_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
