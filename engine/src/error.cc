#include "wyckoff/engine/error.h"

#include <cstdio>
#include <cstdlib>

namespace wyckoff::engine {

void CheckFailed(const char* condition, const char* file, int line, const char* detail) {
  std::fprintf(stderr, "%s:%d: internal error: %s (check failed: %s)\n", file, line, detail,
               condition);
  std::abort();
}

}  // namespace wyckoff::engine
