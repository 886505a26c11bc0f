#include "wyckoff/core/error.h"

#include <cstdio>
#include <cstdlib>

namespace wyckoff {

std::string EscapeControl(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out.push_back(c);
      continue;
    }
    switch (c) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\0':
        out += "\\0";
        break;
      default: {
        constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 15]);
      }
    }
  }
  return out;
}

std::string Quoted(std::string_view text) {
  constexpr std::size_t kMaxShown = 40;
  const bool cut = text.size() > kMaxShown;
  return "\"" + EscapeControl(cut ? text.substr(0, kMaxShown) : text) + (cut ? "...\"" : "\"");
}

void CheckFailed(const char* condition, const char* file, int line, const char* detail) {
  std::fprintf(stderr, "%s:%d: internal error: %s (check failed: %s)\n", file, line, detail,
               condition);
  std::abort();
}

}  // namespace wyckoff
