// Train-run results as bytes, to send them between the processes of a distributed search
// (app::Cluster). Exact: decimals travel as their 128-bit raw value and doubles as their bits,
// so that results gathered from other processes rank and digest exactly as local ones.
//
//   std::string bytes = EncodeResults(runs.RunRange(begin, end, jobs));   // on a worker
//   Result<RunSlots> back = DecodeResults(bytes);                           // on rank 0
//
// The processes of one job run the same program on one architecture: the bytes are the host's
// (little-endian) and start with a tag and version that DecodeResults checks.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "wyckoff/engine/optimizer.h"

namespace wyckoff::engine {

// Each result: its combination index, metrics, final value and digest (the score is not sent:
// Rank computes it), or its error's code and message.
std::string EncodeResults(std::span<const Result<ComboResult>> results);
// Errors (kParse): bytes that EncodeResults did not make (cut short, another version).
Result<RunSlots> DecodeResults(std::string_view bytes);

}  // namespace wyckoff::engine
