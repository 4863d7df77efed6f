# Dependencies of the mingw-w64 cross build, all from Debian 12 packages:
#  - nlohmann-json, spdlog and fmt header-only from /usr/include, through a
#    directory of links that holds only those three (/usr/include itself must
#    never be on a mingw include path: glibc's headers would shadow mingw's);
#  - civetweb compiled from Debian's source package (deploy/windows/fetch-civetweb.sh
#    fetches it into the build tree at configure time unless CIVETWEB_SOURCE_DIR
#    names a tree);
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

set(CIVETWEB_SOURCE_DIR "" CACHE PATH "civetweb source tree (empty: fetch Debian's source package)")
if(CIVETWEB_SOURCE_DIR STREQUAL "")
  execute_process(
    COMMAND bash ${CMAKE_SOURCE_DIR}/deploy/windows/fetch-civetweb.sh ${CMAKE_BINARY_DIR}/_deps/civetweb
    OUTPUT_VARIABLE _civetweb_dir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "could not fetch civetweb's Debian source package (deploy/windows/fetch-civetweb.sh); "
                        "pass -DCIVETWEB_SOURCE_DIR=<tree> to use another copy")
  endif()
  set(CIVETWEB_SOURCE_DIR ${_civetweb_dir} CACHE PATH "civetweb source tree" FORCE)
endif()
if(NOT EXISTS ${CIVETWEB_SOURCE_DIR}/src/civetweb.c)
  message(FATAL_ERROR "CIVETWEB_SOURCE_DIR=${CIVETWEB_SOURCE_DIR} has no src/civetweb.c")
endif()
message(STATUS "civetweb from ${CIVETWEB_SOURCE_DIR}")

enable_language(C)
add_library(winnet_civetweb STATIC ${CIVETWEB_SOURCE_DIR}/src/civetweb.c)
target_include_directories(winnet_civetweb SYSTEM PUBLIC ${CIVETWEB_SOURCE_DIR}/include)
# An API-only server: no files, CGI, TLS or caching. Its own warnings are not ours.
target_compile_definitions(winnet_civetweb PRIVATE NO_SSL NO_CGI NO_FILES NO_CACHING USE_IPV6)
set_target_properties(winnet_civetweb PROPERTIES COMPILE_OPTIONS "-w")
target_link_libraries(winnet_civetweb PUBLIC ws2_32)
add_library(civetweb::civetweb ALIAS winnet_civetweb)
