// What `wyckoff serve --db` stores: the events and signals a post confirmed, with one audit
// entry per batch, in one transaction.
//
//   ServiceBatch batch{.key = "serve:1733140000:4242:17", .actor = "alice", .symbol = "KO",
//                      .timeframe = "1d", .events = events, .signals = is_signal};
//   Result<ServiceBatchStored> stored = StoreServiceBatch(conn, batch, /*after_failure=*/false);
//
// Rows: one pattern_events row per event (run_id NULL, the event's fields as run_store.cc
// writes them), one signals row per event marked in `signals` (run_id NULL, strategy "serve",
// status ACTIVE, pattern_event_id the event's row), and one audit_log entry
// (kActionServiceEventsStored, entity_type "service_batch", entity_id the batch key, payload
// {"symbol","timeframe","events","signals"}).
//
// Exactly once: a retry after a failure (after_failure true) first looks for the batch's audit
// entry; when the earlier attempt committed (the connection dropped after COMMIT reached the
// server), nothing is written again and `already_stored` is true.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::db {

class Connection;

inline constexpr std::string_view kActionServiceEventsStored = "service.events_stored";

struct ServiceBatch {
  std::string key;    // unique per batch: the audit entry's entity_id
  std::string actor;  // who the audit log names; empty: the operating-system user
  std::string symbol;
  std::string timeframe;  // "1d" for daily bars, "intraday" otherwise
  std::vector<engine::RunEvent> events;
  std::vector<bool> signals;  // signals[i]: events[i] is a trade signal (same size as events)
};

struct ServiceBatchStored {
  std::int64_t audit_id = 0;
  bool already_stored = false;
};

// Stores `batch` in one transaction (see above). Errors: kInvalidArgument when signals and
// events differ in size; kDatabase with the server's message (nothing is committed then).
Result<ServiceBatchStored> StoreServiceBatch(Connection& conn, const ServiceBatch& batch,
                                             bool after_failure);

// One round trip (`SELECT 1`): kDatabase when the connection is lost.
Result<void> Ping(Connection& conn);

}  // namespace wyckoff::db
