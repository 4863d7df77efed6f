# civetweb compiled from Debian's source package, for the builds that do not
# link Debian's libcivetweb:
#  - the mingw-w64 cross build (cmake/mingw-deps.cmake): Debian has no Windows
#    civetweb library;
#  - the Linux build with WINNET_CIVETWEB_FROM_SOURCE: Debian 12's libcivetweb
#    1.15 loads libssl at run time through the OpenSSL 1.1 API and fails on
#    OpenSSL 3 (no SSL_get_peer_certificate), so TLS needs a civetweb compiled
#    for the OpenSSL 3 API.
# deploy/debian/fetch-civetweb.sh fetches the source into the build tree at
# configure time unless CIVETWEB_SOURCE_DIR names a tree; nothing of it is kept
# in the repository.
#
#   winnet_civetweb_from_source(TLS <ON|OFF> [LIBS lib...])
# defines civetweb::civetweb, the target the rest of the build links. TLS ON
# compiles civetweb's OpenSSL code for the OpenSSL 3 API, loading
# WINNET_LIBSSL_SONAME and WINNET_LIBCRYPTO_SONAME by name when a TLS port is
# started (not before: a plain HTTP server never maps OpenSSL); LIBS are the
# platform's own libraries civetweb needs.

enable_language(C)
set(CIVETWEB_SOURCE_DIR "" CACHE PATH "civetweb source tree (empty: fetch Debian's source package)")

function(winnet_civetweb_from_source)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TLS" "LIBS")
  if(CIVETWEB_SOURCE_DIR STREQUAL "")
    execute_process(
      COMMAND bash ${CMAKE_SOURCE_DIR}/deploy/debian/fetch-civetweb.sh ${CMAKE_BINARY_DIR}/_deps/civetweb
      OUTPUT_VARIABLE _dir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "could not fetch civetweb's Debian source package (deploy/debian/fetch-civetweb.sh); "
                          "pass -DCIVETWEB_SOURCE_DIR=<tree> to use another copy")
    endif()
    set(CIVETWEB_SOURCE_DIR ${_dir} CACHE PATH "civetweb source tree" FORCE)
  endif()
  if(NOT EXISTS ${CIVETWEB_SOURCE_DIR}/src/civetweb.c)
    message(FATAL_ERROR "CIVETWEB_SOURCE_DIR=${CIVETWEB_SOURCE_DIR} has no src/civetweb.c")
  endif()

  add_library(winnet_civetweb STATIC ${CIVETWEB_SOURCE_DIR}/src/civetweb.c)
  target_include_directories(winnet_civetweb SYSTEM PUBLIC ${CIVETWEB_SOURCE_DIR}/include)
  # An API-only server: request handlers and nothing else. NO_FILES: no file is
  # ever served from disk (no document root, directory listing or PUT/DELETE);
  # NO_CGI, NO_CACHING (of files). ALTERNATIVE_QUEUE: a new connection goes to
  # the idle worker with the lowest index, not to whichever waited longest, so
  # under load the same few workers serve and the other idle ones never touch
  # their stacks and request buffers (bench/README.md, "Footprint"). Its own
  # warnings are not ours; optimised for size like the rest (CMakeLists.txt).
  target_compile_definitions(winnet_civetweb PRIVATE NO_CGI NO_FILES NO_CACHING USE_IPV6 ALTERNATIVE_QUEUE)
  set_target_properties(winnet_civetweb PROPERTIES COMPILE_OPTIONS
                        "-w;$<$<CONFIG:Release,RelWithDebInfo>:-Os>")
  if(arg_TLS)
    # OpenSSL 3 opened by name when TLS starts (civetweb's own loader); the
    # exporter configures the SSL_CTX itself (init_ssl callback).
    target_compile_definitions(winnet_civetweb PRIVATE OPENSSL_API_3_0
                               SSL_LIB="${WINNET_LIBSSL_SONAME}" CRYPTO_LIB="${WINNET_LIBCRYPTO_SONAME}")
    target_link_libraries(winnet_civetweb PUBLIC ${CMAKE_DL_LIBS})
    set(_what "with TLS (OpenSSL ${OPENSSL_VERSION})")
  else()
    target_compile_definitions(winnet_civetweb PRIVATE NO_SSL)
    set(_what "without TLS")
  endif()
  target_link_libraries(winnet_civetweb PUBLIC ${arg_LIBS})
  add_library(civetweb::civetweb ALIAS winnet_civetweb)
  message(STATUS "civetweb from ${CIVETWEB_SOURCE_DIR}, ${_what}")
endfunction()
