# Installs the libraries, headers, CMake package and pkg-config file so that
# another project can `find_package(flightbook)` or `pkg-config flightbook`.
set(FLIGHTBOOK_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/flightbook")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/flightbook"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT flightbook_development)

install(EXPORT flightbookTargets
        NAMESPACE flightbook::
        DESTINATION "${FLIGHTBOOK_CMAKE_DIR}"
        COMPONENT flightbook_development)

configure_package_config_file(
    "${PROJECT_SOURCE_DIR}/cmake/flightbook-config.cmake.in"
    "${PROJECT_BINARY_DIR}/flightbook-config.cmake"
    INSTALL_DESTINATION "${FLIGHTBOOK_CMAKE_DIR}")
write_basic_package_version_file(
    "${PROJECT_BINARY_DIR}/flightbook-config-version.cmake"
    COMPATIBILITY SameMinorVersion)
install(FILES
        "${PROJECT_BINARY_DIR}/flightbook-config.cmake"
        "${PROJECT_BINARY_DIR}/flightbook-config-version.cmake"
        DESTINATION "${FLIGHTBOOK_CMAKE_DIR}"
        COMPONENT flightbook_development)

# Relocatable: the .pc file finds the prefix relative to itself, so a staged
# or moved install works as well as one in CMAKE_INSTALL_PREFIX.
file(RELATIVE_PATH FLIGHTBOOK_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" FLIGHTBOOK_PC_TO_PREFIX "${FLIGHTBOOK_PC_TO_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/flightbook.pc.in"
               "${PROJECT_BINARY_DIR}/flightbook.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/flightbook.pc"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
        COMPONENT flightbook_development)
