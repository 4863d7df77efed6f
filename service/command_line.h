// The command line as UTF-8, the exporter's one text encoding. On Windows it
// is read as UTF-16 (CommandLineToArgvW) and converted once here, so a
// non-ASCII path in a flag survives; elsewhere argv is already UTF-8.
#pragma once

#include <string>
#include <vector>

namespace winnet {

// The arguments after the program name.
std::vector<std::string> CommandLineArgs(int argc, char** argv);

}  // namespace winnet
