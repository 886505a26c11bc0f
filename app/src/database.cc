#include "wyckoff/app/database.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>

#ifndef WYCKOFF_PG_MODULE_NAME
#error "WYCKOFF_PG_MODULE_NAME and WYCKOFF_INSTALLED_LIBDIR must be defined by app/CMakeLists.txt"
#endif

namespace wyckoff::app {
namespace {

namespace fs = std::filesystem;

// Where the module may be, in the order tried.
std::vector<fs::path> ModuleCandidates() {
  const char* env = std::getenv("WYCKOFF_PG_MODULE");
  if (env != nullptr && *env != '\0') return {fs::path(env)};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path bin = exe.parent_path();
  return {bin / WYCKOFF_PG_MODULE_NAME,
          bin.parent_path() / WYCKOFF_INSTALLED_LIBDIR / "wyckoff" / WYCKOFF_PG_MODULE_NAME};
}

// Loads the module once per process (it stays loaded: sessions and the sources it makes run
// its code until the process ends).
Result<const DatabaseDriver*> LoadDriver() {
  static std::once_flag once;
  static Result<const DatabaseDriver*> driver = nullptr;
  std::call_once(once, [] {
    std::string tried;
    std::string reason = "not found";
    for (const fs::path& path : ModuleCandidates()) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      std::error_code ec;
      if (!fs::exists(path, ec)) continue;
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        reason = dlerror();
        break;
      }
      auto entry = reinterpret_cast<DatabaseDriverEntry>(dlsym(handle, kDatabaseDriverSymbol));
      if (entry == nullptr) {
        reason = path.string() + " does not export " + kDatabaseDriverSymbol;
        break;
      }
      driver = entry();
      return;
    }
    driver = Fail(ErrorCode::kDatabase, "PostgreSQL support is not available: cannot load " +
                                            std::string(WYCKOFF_PG_MODULE_NAME) + " (" + reason +
                                            "; looked at " + tried + ")");
  });
  return driver;
}

}  // namespace

std::string ResolveDatabaseUrl(const std::string& url) {
  if (!url.empty()) return url;
  const char* env = std::getenv("WYCKOFF_DB");
  return env != nullptr ? env : "";
}

Database::Database(DatabaseOptions options) : options_(std::move(options)) {
  options_.url = ResolveDatabaseUrl(options_.url);
}

Database::~Database() = default;

Result<DatabaseSession*> Database::Session() {
  if (!session_) {
    auto driver = LoadDriver();
    if (!driver) return tl::unexpected(driver.error());
    auto session = (*driver)->Connect(options_.url);
    if (!session) return tl::unexpected(session.error());
    session_ = std::move(*session);
  }
  return session_.get();
}

}  // namespace wyckoff::app
