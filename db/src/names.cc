// The parts of wyckoff::db that need no server (the wyckoff::db_names target): the
// `postgresql:SYMBOL:TIMEFRAME` data references and where the migrations are. The program links
// these; everything that talks to PostgreSQL is in the module libwyckoff-pg.so.
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "wyckoff/db/bars.h"
#include "wyckoff/db/migrations.h"

#ifndef WYCKOFF_MIGRATIONS_DIR
#error "WYCKOFF_MIGRATIONS_DIR must be defined by the build (db/CMakeLists.txt)"
#endif

namespace wyckoff::db {

namespace fs = std::filesystem;

Result<std::optional<StoredBars>> ParseStoredBars(std::string_view data) {
  if (!data.starts_with(kStoredBarsPrefix)) return std::nullopt;
  const std::string_view rest = data.substr(kStoredBarsPrefix.size());
  const auto colon = rest.find(':');
  if (rest.starts_with("//") || colon == std::string_view::npos || colon == 0 ||
      colon + 1 == rest.size() || rest.find(':', colon + 1) != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "data source " + Quoted(data) +
                    " is not postgresql:SYMBOL:TIMEFRAME (for example postgresql:ORCL:1d; the "
                    "server's URL names the database, not the bars)");
  }
  return StoredBars{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
}

fs::path DefaultMigrationsDir() {
  const char* env = std::getenv("WYCKOFF_MIGRATIONS_DIR");
  if (env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / WYCKOFF_INSTALLED_MIGRATIONS_DIR;
    if (fs::is_directory(installed, ec)) return installed;
  }
  return WYCKOFF_MIGRATIONS_DIR;
}

}  // namespace wyckoff::db
