// Waiting for the request to stop: SIGINT/SIGTERM on POSIX (Ctrl-C, console
// close and shutdown events on Windows, #4). Handlers only request the stop;
// the shutdown itself runs on the main thread.
#pragma once

namespace winnet {

// Call first in main, before any thread starts (threads inherit the mask).
void PrepareStopSignals();
// Blocks until a stop is requested; returns the signal's name.
const char* WaitForStopRequest();

}  // namespace winnet
