#include <pthread.h>

#include "exporter/thread_name.h"

namespace winnet {

void NameThisThread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace winnet
