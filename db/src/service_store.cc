#include "wyckoff/db/service_store.h"

#include <nlohmann/json.hpp>
#include <string>

#include "audit_internal.h"
#include "connection_impl.h"
#include "copy_line.h"
#include "event_details.h"
#include "pg_time.h"
#include "wyckoff/db/audit_log.h"

namespace wyckoff::db {
namespace {

// $1 symbol, $2 timeframe, $3 type, $4 time, $5 confirm_time, $6 phase ('' NULL), $7 price,
// $8 range_low ('' NULL), $9 range_high ('' NULL), $10 confidence, $11 details.
constexpr std::string_view kInsertEventSql = R"sql(
INSERT INTO pattern_events
  (run_id, symbol, timeframe, type, time, confirm_time, phase, price, range_low, range_high,
   confidence, details)
VALUES (NULL, $1, $2, $3, $4::timestamptz, $5::timestamptz, NULLIF($6, ''), $7::numeric,
        NULLIF($8, '')::numeric, NULLIF($9, '')::numeric, $10::numeric, $11::jsonb)
RETURNING id)sql";

// $1 pattern event id, $2 symbol, $3 side, $4 created_at, $5 entry, $6 stop, $7 target ('' NULL),
// $8 details.
constexpr std::string_view kInsertSignalSql = R"sql(
INSERT INTO signals (run_id, pattern_event_id, symbol, strategy, side, status, created_at,
                     entry_price, stop_price, target_price, details)
VALUES (NULL, $1, $2, 'serve', $3, 'ACTIVE', $4::timestamptz, NULLIF($5, '')::numeric,
        NULLIF($6, '')::numeric, NULLIF($7, '')::numeric, $8::jsonb))sql";

constexpr std::string_view kFindBatchSql = R"sql(
SELECT id FROM audit_log WHERE action = $1 AND entity_type = 'service_batch' AND entity_id = $2)sql";

// A detail that is a number, as its text; "" when absent or not a number.
std::string NumberDetail(const engine::RunEvent& e, std::string_view name) {
  engine::DetailValue::Buffer buffer;
  const std::string_view text = e.DetailView(name, buffer);
  return Decimal::Parse(text) ? std::string(text) : std::string();
}

}  // namespace

Result<ServiceBatchStored> StoreServiceBatch(Connection& conn, const ServiceBatch& batch,
                                             bool after_failure) {
  if (batch.signals.size() != batch.events.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "a service batch has " + std::to_string(batch.events.size()) + " events and " +
                    std::to_string(batch.signals.size()) + " signal marks");
  }
  return internal::Guarded(
      "storing the service's events of " + batch.symbol, [&]() -> Result<ServiceBatchStored> {
        pqxx::work txn(internal::Pqxx(conn));
        if (after_failure) {
          const pqxx::result found = txn.exec_params(
              std::string(kFindBatchSql), std::string(kActionServiceEventsStored), batch.key);
          if (!found.empty()) {
            return ServiceBatchStored{.audit_id = found[0][0].as<std::int64_t>(),
                                      .already_stored = true};
          }
        }
        int signals = 0;
        for (std::size_t i = 0; i < batch.events.size(); ++i) {
          const engine::RunEvent& e = batch.events[i];
          const std::string details = internal::DetailsJson(e);
          const pqxx::row row = txn.exec_params1(
              std::string(kInsertEventSql), batch.symbol, batch.timeframe, e.type,
              internal::PgTimestamp(e.pattern_time), internal::PgTimestamp(e.confirm_time),
              e.DetailText("phase_after"), internal::DoubleText(e.level),
              NumberDetail(e, "support"), NumberDetail(e, "resistance"),
              internal::DoubleText(e.confidence), details);
          if (!batch.signals[i]) continue;
          ++signals;
          const std::string side = e.DetailText("signal") == "SHORT" ? "SELL" : "BUY";
          txn.exec_params(std::string(kInsertSignalSql), row[0].as<std::int64_t>(), batch.symbol,
                          side, internal::PgTimestamp(e.confirm_time), NumberDetail(e, "entry"),
                          NumberDetail(e, "stop"), NumberDetail(e, "target"), details);
        }
        nlohmann::ordered_json payload = {{"symbol", batch.symbol},
                                          {"timeframe", batch.timeframe},
                                          {"events", batch.events.size()},
                                          {"signals", signals}};
        const std::int64_t audit_id = internal::AppendAuditIn(
            txn, AuditRecord{.actor = internal::ActorOrOsUser(batch.actor),
                             .action = std::string(kActionServiceEventsStored),
                             .entity_type = "service_batch",
                             .entity_id = batch.key,
                             .payload_json = payload.dump()});
        txn.commit();
        return ServiceBatchStored{.audit_id = audit_id, .already_stored = false};
      });
}

Result<void> Ping(Connection& conn) {
  return internal::Guarded("checking the connection", [&]() -> Result<void> {
    pqxx::nontransaction txn(internal::Pqxx(conn));
    txn.exec("SELECT 1");
    return {};
  });
}

}  // namespace wyckoff::db
