# FLIGHTBOOK_SANITIZE="address;undefined" or "thread" instruments everything
# built in this tree, so the libraries and the tests agree on the runtime.
if(FLIGHTBOOK_SANITIZE)
    if("thread" IN_LIST FLIGHTBOOK_SANITIZE AND "address" IN_LIST FLIGHTBOOK_SANITIZE)
        message(FATAL_ERROR "thread and address sanitizers cannot be combined")
    endif()
    list(JOIN FLIGHTBOOK_SANITIZE "," _flightbook_sanitizers)
    message(STATUS "flightbook: building with -fsanitize=${_flightbook_sanitizers}")
    add_compile_options(-fsanitize=${_flightbook_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    add_link_options(-fsanitize=${_flightbook_sanitizers})
endif()
