#include "service/command_line.h"

// clang-format off
#include <windows.h>
#include <shellapi.h>
// clang-format on

#include "collectors/common/win32_text_windows.h"

namespace winnet {

// argv (in the ANSI code page) is used only if the UTF-16 command line cannot
// be split, which does not happen in practice.
std::vector<std::string> CommandLineArgs(int argc, char** argv) {
  int n = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &n);
  if (wide == nullptr) return std::vector<std::string>(argv + 1, argv + argc);
  std::vector<std::string> args;
  for (int i = 1; i < n; ++i) args.push_back(win32::Narrow(wide[i]));
  LocalFree(wide);
  return args;
}

}  // namespace winnet
