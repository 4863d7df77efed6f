# Dependencies of the mingw-w64 cross build, all from Debian 12 packages:
#  - nlohmann-json, spdlog and fmt header-only from /usr/include, through a
#    directory of links that holds only those three (/usr/include itself must
#    never be on a mingw include path: glibc's headers would shadow mingw's);
#  - civetweb compiled from Debian's source package, without TLS
#    (cmake/civetweb-source.cmake);
#  - zlib from libz-mingw-w64-dev (static);
#  - GoogleTest from /usr/src/googletest (tests/CMakeLists.txt).
# The targets carry the names the native build's find_package() gives, so the
# rest of the build is the same for both.

set(_winnet_headers ${CMAKE_BINARY_DIR}/debian-headers)
file(MAKE_DIRECTORY ${_winnet_headers})
foreach(_dir nlohmann spdlog fmt)
  if(NOT EXISTS /usr/include/${_dir})
    message(FATAL_ERROR "/usr/include/${_dir} is missing: install nlohmann-json3-dev and libspdlog-dev "
                        "(deploy/debian/install-deps.sh build)")
  endif()
  file(CREATE_LINK /usr/include/${_dir} ${_winnet_headers}/${_dir} SYMBOLIC)
endforeach()

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES ${_winnet_headers})
add_library(fmt::fmt INTERFACE IMPORTED)
set_target_properties(fmt::fmt PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES ${_winnet_headers}
  INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY)
# Debian's tweakme.h sets SPDLOG_FMT_EXTERNAL: spdlog uses fmt from /usr/include/fmt.
add_library(spdlog::spdlog INTERFACE IMPORTED)
set_target_properties(spdlog::spdlog PROPERTIES
  INTERFACE_COMPILE_DEFINITIONS SPDLOG_FMT_EXTERNAL
  INTERFACE_LINK_LIBRARIES fmt::fmt)

set(ZLIB_USE_STATIC_LIBS ON)
find_package(ZLIB REQUIRED)

# No TLS: Debian has no OpenSSL for mingw-w64.
include(${CMAKE_CURRENT_LIST_DIR}/civetweb-source.cmake)
winnet_civetweb_from_source(TLS OFF LIBS ws2_32)
