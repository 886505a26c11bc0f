// A bars file split into its header and rows, and request bodies cut from it: what tests post
// to the live service a chunk at a time.
//
//   const CsvLines lines = ReadCsvLines(DataPath("daily/orcl-1995-2014.csv"));
//   std::string body = CsvBody(lines, 0, 300);   // the header and rows [0, 300)
#pragma once

#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

namespace wyckoff::testing {

struct CsvLines {
  std::string header;
  std::vector<std::string> rows;  // without their line ends; empty lines left out
};

inline CsvLines ReadCsvLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  CsvLines l;
  for (std::string line; std::getline(in, line);) {
    if (l.header.empty()) {
      l.header = line;
    } else if (!line.empty()) {
      l.rows.push_back(line);
    }
  }
  return l;
}

// The header and rows [from, to) (to clipped to the file), each ending in a newline.
inline std::string CsvBody(const CsvLines& l, std::size_t from, std::size_t to) {
  std::string body = l.header + "\n";
  for (std::size_t i = from; i < to && i < l.rows.size(); ++i) body += l.rows[i] + "\n";
  return body;
}

}  // namespace wyckoff::testing
