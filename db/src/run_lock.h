// Private to db/src: the session-level advisory lock that marks a run as in flight.
//
// CreateRun takes it in the transaction that inserts the run, so by the time any other session
// can see the RUNNING row, its creator holds the lock; it is released when the run is completed
// or failed through RunWriter, or when the session ends. A RUNNING run whose lock nobody holds
// was abandoned (FailAbandonedRuns). The lock uses the two-int4 key form, whose key space is
// apart from the single-bigint one that the migration runner uses.
#pragma once

#include <string_view>

namespace wyckoff::db::internal {

// The first key: "Wyck" in ASCII. The second is the run id modulo 2^31.
inline constexpr int kRunLockClass = 0x5779636b;

// $1 run id.
inline constexpr std::string_view kLockRunSql =
    "SELECT pg_advisory_lock(1467573099, ($1::int8 % 2147483648)::int4)";
inline constexpr std::string_view kUnlockRunSql =
    "SELECT pg_advisory_unlock(1467573099, ($1::int8 % 2147483648)::int4)";

// RUNNING runs whose lock no session holds, oldest first.
inline constexpr std::string_view kAbandonedRunsSql = R"sql(
SELECT r.id
FROM backtest_runs r
WHERE r.status = 'RUNNING'
  AND NOT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = 1467573099 AND l.objsubid = 2
      AND l.objid = (r.id % 2147483648)::oid)
ORDER BY r.started_at, r.id)sql";

static_assert(kRunLockClass == 1467573099, "the SQL above spells the lock class out");

}  // namespace wyckoff::db::internal
