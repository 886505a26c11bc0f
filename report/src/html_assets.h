// The files the HTML report is made of, embedded at build time (report/html/embed.cmake writes
// html_assets.cc from report/html/ and third_party/lightweight-charts/), so that the binary
// needs no file beside it.
#pragma once

#include <string_view>

namespace wyckoff::report::assets {

// report/html/template.html: the page, with the markers below where the parts go.
extern const std::string_view kTemplate;
// report/html/report.css and report/html/report.js.
extern const std::string_view kStyle;
extern const std::string_view kScript;
// third_party/lightweight-charts/lightweight-charts.standalone.production.js (its licence
// header included) and the version it is.
extern const std::string_view kChartLibrary;
extern const std::string_view kChartLibraryVersion;

inline constexpr std::string_view kTitleMarker = "<!--WYCKOFF:TITLE-->";
inline constexpr std::string_view kStyleMarker = "/*WYCKOFF:STYLE*/";
inline constexpr std::string_view kDataMarker = "<!--WYCKOFF:DATA-->";
inline constexpr std::string_view kLibraryMarker = "/*WYCKOFF:LIBRARY*/";
inline constexpr std::string_view kScriptMarker = "/*WYCKOFF:SCRIPT*/";

}  // namespace wyckoff::report::assets
