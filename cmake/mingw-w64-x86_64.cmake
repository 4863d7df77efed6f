# Cross-compiling winnet_exporter for 64-bit Windows with Debian's mingw-w64
# (package g++-mingw-w64-x86-64-posix). Used by the windows-mingw preset:
#   cmake --preset windows-mingw
# Test executables run through Wine (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_VERSION 10.0)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(WINNET_MINGW_TRIPLE x86_64-w64-mingw32)

# The -posix variants: std::thread and std::mutex need the posix thread model,
# and the unsuffixed names are alternatives that may point to -win32.
set(CMAKE_C_COMPILER ${WINNET_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${WINNET_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${WINNET_MINGW_TRIPLE}-windres)
set(CMAKE_AR /usr/bin/${WINNET_MINGW_TRIPLE}-gcc-ar-posix CACHE FILEPATH "")
set(CMAKE_RANLIB /usr/bin/${WINNET_MINGW_TRIPLE}-gcc-ranlib-posix CACHE FILEPATH "")

set(CMAKE_FIND_ROOT_PATH /usr/${WINNET_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# One self-contained exe: without -static the posix thread model imports
# libwinpthread-1.dll, which a node does not have.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Dependencies: header-only spdlog/fmt/nlohmann from Debian's headers, civetweb
# compiled from Debian's source package, zlib from libz-mingw-w64-dev
# (cmake/mingw-deps.cmake).
set(WINNET_MINGW_DEPS ON CACHE BOOL "Take dependencies from Debian as in cmake/mingw-deps.cmake")

# Debian 12 has no /usr/bin/wine64: /usr/bin/wine picks the 64-bit loader.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(WINNET_WINE NAMES wine wine64 PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
  if(WINNET_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${WINNET_WINE})
  endif()
endif()
