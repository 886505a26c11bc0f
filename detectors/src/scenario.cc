#include "wyckoff/detectors/scenario.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <random>
#include <utility>

namespace wyckoff::detectors {

namespace {

constexpr std::int64_t kMillion = 1'000'000;
constexpr std::size_t kWindow = 20;  // the rules' N of volume_ratio and spread_ratio

// Uniform integers from std::mt19937_64 by modulo: identical on every platform, unlike the
// std:: distributions. The modulo bias (< 1e-12 here) does not matter for test data.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  // Inclusive on both ends.
  std::int64_t Int(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(engine_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool Percent(int p) { return Int(0, 99) < p; }

 private:
  std::mt19937_64 engine_;
};

// `cents` moved by `ppm` parts per million: Ppm(10000, 25000) is 10250 (+2.5%). Truncates.
std::int64_t Ppm(std::int64_t cents, std::int64_t ppm) {
  return cents * (kMillion + ppm) / kMillion;
}
// `ppm` parts per million of `cents`, the size of a move.
std::int64_t PartOf(std::int64_t cents, std::int64_t ppm) { return cents * ppm / kMillion; }

// "2.31%" from parts per million.
std::string Percent(std::int64_t ppm) {
  const std::int64_t bp = (ppm + 50) / 100;
  std::string frac = std::to_string(bp % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return std::to_string(bp / 100) + "." + frac + "%";
}
// "0.42x" from a ratio in thousandths.
std::string Ratio(std::int64_t permille) {
  const std::int64_t hundredths = (permille + 5) / 10;
  std::string frac = std::to_string(hundredths % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return std::to_string(hundredths / 100) + "." + frac + "x";
}

struct RawBar {
  std::int64_t open = 0, high = 0, low = 0, close = 0, volume = 0;  // cents, shares
};

// Prices negated (high and low swap): a down leg is built as an up leg in mirrored space.
RawBar Mirror(const RawBar& b) { return {-b.open, -b.low, -b.high, -b.close, b.volume}; }

enum class Structure : std::uint8_t {
  kAccumulation,
  kFailedAccumulation,
  kDistribution,
  kFailedDistribution
};

struct LegOptions {
  bool fast_start = false;  // the first 3 bars cover 55% of the leg (an automatic rally)
  // Up legs: lows from the leg's 3rd bar on stay at or above it; down legs: highs at or below.
  std::int64_t guard = 0;
};

// Builds bars for one scenario. Every structure keeps these invariants, which make the pivots
// of the rules page (L = 5) fall exactly on the planted touches: legs are at least 5 bars
// long and strictly monotone in both high and low, and a touch is the last bar of its leg.
// Volumes of ordinary bars stay within 0.85-1.25 x the trailing 20-bar mean, so that only
// planted bars pass a volume gate (spring < 0.7, SOS >= 1.5, UTAD > 1.5, climax >= 2.0).
class Generator {
 public:
  explicit Generator(const ScenarioOptions& options)
      : options_(options), rng_(options.seed ^ 0x9E3779B97F4A7C15ULL) {
    base_volume_ = rng_.Int(50'000, 500'000);
  }

  std::size_t size() const { return bars_.size(); }
  int structures() const { return structure_; }

  void WarmUp(Structure first) {
    const std::int64_t c = options_.start_cents;
    bars_.push_back({c, c + PartOf(c, 3000), c - PartOf(c, 3000), c, base_volume_});
    last_up_ = !Accumulating(first);
    Trend(last_up_, last_up_ ? Ppm(c, 100'000) : Ppm(c, -100'000), 25, 40);
  }

  void Build(Structure kind) {
    ++structure_;
    base_volume_ =
        std::clamp<std::int64_t>(base_volume_ * rng_.Int(800, 1250) / 1000, 10'000, 10'000'000);
    // An accumulation needs a decline into it, a distribution a rise; far from the middle of
    // the price band, a trend toward the middle comes first.
    bool up = last_up_;
    if (Accumulating(kind)) {
      if (Close() < 9'000) {
        Trend(true, Target(true), 15, 80);
        up = true;
      }
      if (up) Trend(false, Target(false), 15, 80);
    } else {
      if (Close() > 25'000) {
        Trend(false, Target(false), 15, 80);
        up = false;
      }
      if (!up) Trend(true, Target(true), 15, 80);
    }
    switch (kind) {
      case Structure::kAccumulation:
      case Structure::kFailedAccumulation:
        Accumulation(kind == Structure::kFailedAccumulation);
        break;
      case Structure::kDistribution:
      case Structure::kFailedDistribution:
        Distribution(kind == Structure::kFailedDistribution);
        break;
    }
    last_up_ = kind == Structure::kAccumulation || kind == Structure::kFailedDistribution;
    Trend(last_up_, Target(last_up_), 20, 80);
  }

  // Random-walk bars up to `bars` in all, drifting toward the middle of the price band.
  void Fill(std::size_t bars) {
    while (bars_.size() < bars) {
      const bool up = Close() < 10'000 || (Close() < 25'000 && rng_.Percent(50));
      const std::int64_t drift = rng_.Int(1'000, 5'000) * (up ? 1 : -1);
      for (int i = 0; i < 40 && bars_.size() < bars; ++i) RandomBar(drift, 12'000);
    }
  }

  Scenario Finish() && {
    Scenario out;
    out.structures = structure_;
    out.bars.reserve(bars_.size());
    std::vector<Timestamp> times;
    times.reserve(bars_.size());
    Timestamp t = options_.start;
    out.intraday = bars_.size() > kMaxDailyScenarioBars;
    for (std::size_t i = 0; i < bars_.size(); ++i) {
      if (i > 0) t = out.intraday ? NextWeekdayMinute(t) : NextWeekday(t);
      times.push_back(t);
      const RawBar& b = bars_[i];
      out.bars.push_back({.time = t,
                          .decimals = 2,  // whole cents
                          .open = Decimal::FromUnits(b.open, 2),
                          .high = Decimal::FromUnits(b.high, 2),
                          .low = Decimal::FromUnits(b.low, 2),
                          .close = Decimal::FromUnits(b.close, 2),
                          .volume = Decimal::FromInt(b.volume)});
    }
    for (ScenarioLabel& label : labels_) {
      label.pattern_time = times[static_cast<std::size_t>(label.pattern_index)];
      label.end_time = times[static_cast<std::size_t>(label.end_index)];
    }
    std::stable_sort(labels_.begin(), labels_.end(),
                     [](const ScenarioLabel& a, const ScenarioLabel& b) {
                       return a.pattern_index < b.pattern_index;
                     });
    out.labels = std::move(labels_);
    return out;
  }

 private:
  static bool Accumulating(Structure kind) {
    return kind == Structure::kAccumulation || kind == Structure::kFailedAccumulation;
  }

  static bool Weekend(Timestamp t) {
    return (t / kNanosPerDay + 3) % 7 >= 5;  // 1970-01-01 was a Thursday
  }
  static Timestamp NextWeekday(Timestamp t) {
    do {
      t += kNanosPerDay;
    } while (Weekend(t));
    return t;
  }
  static Timestamp NextWeekdayMinute(Timestamp t) {
    t += 60 * kNanosPerSecond;
    while (Weekend(t)) t += kNanosPerDay;  // lands on Monday at the same minute, 00:00
    return t;
  }

  // --- bars and their trailing features ---------------------------------------------------

  std::int64_t Close() const { return bars_.back().close; }
  std::int64_t Last() const { return static_cast<std::int64_t>(bars_.size()) - 1; }

  std::int64_t MeanVolume() const {
    std::int64_t sum = 0;
    const std::size_t n = std::min(kWindow, bars_.size());
    for (std::size_t i = bars_.size() - n; i < bars_.size(); ++i) sum += bars_[i].volume;
    return sum / static_cast<std::int64_t>(n);
  }
  std::int64_t MeanSpread() const {
    std::int64_t sum = 0;
    const std::size_t n = std::min(kWindow, bars_.size());
    for (std::size_t i = bars_.size() - n; i < bars_.size(); ++i) {
      sum += bars_[i].high - bars_[i].low;
    }
    return sum / static_cast<std::int64_t>(n);
  }

  // An ordinary bar's volume: around the structure's base, held within 0.85-1.25 x the
  // trailing mean so that its volume ratio passes no gate.
  std::int64_t NormalVolume() {
    std::int64_t v = base_volume_ * rng_.Int(900, 1150) / 1000;
    if (bars_.size() >= kWindow) {
      const std::int64_t mean = MeanVolume();
      v = std::clamp(v, mean * 850 / 1000 + 1, mean * 1250 / 1000);
    }
    return std::max<std::int64_t>(v, 1);
  }
  // A volume whose ratio to the trailing 20-bar mean is `permille` / 1000 (rounded down).
  std::int64_t VolumeAt(std::int64_t permille) const {
    return std::max<std::int64_t>(MeanVolume() * permille / 1000, 1);
  }

  void Push(const RawBar& b) {
    WYCKOFF_CHECK(b.low > 0 && b.low <= std::min(b.open, b.close) &&
                      std::max(b.open, b.close) <= b.high && b.volume > 0,
                  "the scenario generator built an invalid bar");
    bars_.push_back(b);
  }

  // A bar opening near the last close, closing at `close`, with small wicks.
  RawBar BarTo(std::int64_t close, std::int64_t wick_ppm = 2'000) {
    RawBar b;
    b.open = Ppm(Close(), rng_.Int(-1'000, 1'000));
    b.close = close;
    b.high = std::max(b.open, b.close) + PartOf(close, rng_.Int(0, wick_ppm));
    b.low = std::min(b.open, b.close) - PartOf(close, rng_.Int(0, wick_ppm));
    b.volume = NormalVolume();
    return b;
  }

  void RandomBar(std::int64_t drift_ppm, std::int64_t noise_ppm) {
    const std::int64_t close =
        std::max<std::int64_t>(Ppm(Close(), drift_ppm + rng_.Int(-noise_ppm, noise_ppm)), 500);
    Push(BarTo(close, 6'000));
  }

  // A random walk toward `target` (at least `min_bars`, at most `max_bars` bars).
  void Trend(bool up, std::int64_t target, int min_bars, int max_bars) {
    const std::int64_t drift = rng_.Int(4'000, 8'000) * (up ? 1 : -1);
    for (int i = 0; i < max_bars; ++i) {
      if (i >= min_bars && (up ? Close() >= target : Close() <= target)) break;
      RandomBar(drift, 12'000);
    }
  }

  // Where a markup (up) or markdown ends: the farther from 150.00, the longer the trend
  // toward it and the shorter the trend away from it (approach legs add 15-25% in their own
  // direction), so that prices stay within about 60 .. 350.
  std::int64_t Target(bool up) {
    const std::int64_t c = Close();
    if (up) {
      if (c < 10'000) return Ppm(c, rng_.Int(400'000, 700'000));
      if (c < 20'000) return Ppm(c, rng_.Int(200'000, 400'000));
      return Ppm(c, rng_.Int(30'000, 100'000));
    }
    if (c > 25'000) return Ppm(c, -rng_.Int(300'000, 400'000));
    if (c > 15'000) return Ppm(c, -rng_.Int(150'000, 250'000));
    return Ppm(c, -rng_.Int(20'000, 50'000));
  }

  // A strictly monotone leg of `n` bars from the last bar whose last bar's high (up) or low
  // (down) is exactly `extreme`.
  void Leg(bool up, std::int64_t extreme, int n, const LegOptions& o = {}) {
    RawBar prev = up ? bars_.back() : Mirror(bars_.back());
    const std::int64_t e = up ? extreme : -extreme;
    const std::int64_t guard =
        o.guard == 0 ? std::numeric_limits<std::int64_t>::min() : (up ? o.guard : -o.guard);
    const std::int64_t c0 = prev.close;
    const std::int64_t span = e - c0;
    WYCKOFF_CHECK(span >= 8 * n && e > prev.high, "a leg needs room for monotone bars");
    // One bar of a longer leg (not an automatic rally) may pause: an inside bar closing
    // against the leg. It is no pivot (a pivot needs 5 bars on both sides), and the next bar
    // clears the leg's high.
    const bool may_pause = n >= 6 && !o.fast_start && rng_.Percent(50);
    const int pause = may_pause ? static_cast<int>(rng_.Int(2, n - 3)) : -1;
    std::int64_t top = prev.high;  // the leg's highest high so far
    for (int i = 1; i <= n; ++i) {
      const std::int64_t floor = std::max(prev.low + 1, i >= 3 ? guard : prev.low + 1);
      RawBar b = i == pause ? Pause(prev, floor, span / n)
                            : LegBar(prev, floor, top, c0, span, i, n, o.fast_start);
      WYCKOFF_CHECK(b.low > prev.low && b.low <= std::min(b.open, b.close) &&
                        std::max(b.open, b.close) <= b.high && (i == pause || b.high > top),
                    "a leg bar broke monotonicity");
      top = std::max(top, b.high);
      b.volume = NormalVolume();
      Push(up ? b : Mirror(b));
      prev = b;
    }
  }

  // Bar i of n of an up leg (mirrored space for down legs) from close c0 over `span`.
  // Lows stay at or above `floor`, highs above `top` (the leg's highest high so far).
  RawBar LegBar(const RawBar& prev, std::int64_t floor, std::int64_t top, std::int64_t c0,
                std::int64_t span, int i, int n, bool fast_start) {
    const std::int64_t e = c0 + span;
    const std::int64_t step = span / n;
    const std::int64_t jitter = step / 5;
    const std::int64_t wick = step / 3;
    RawBar b;
    b.open = std::min(prev.close + rng_.Int(-jitter, jitter), e - 1);
    if (i < n) {
      b.close =
          c0 + span * Fraction(i, n, fast_start) / 1000 - step / 2 + rng_.Int(-jitter, jitter);
      b.high = std::max(b.open, b.close) + rng_.Int(0, wick);
      b.low = std::min(b.open, b.close) - rng_.Int(0, wick);
    } else {
      b.high = e;
      b.low = std::min(b.open, e - step / 2) - rng_.Int(0, wick);
    }
    b.low = std::max(b.low, floor);
    b.open = std::max(b.open, b.low);
    if (i < n) {
      b.close = std::max(b.close, b.low);
      b.high = std::min(std::max({b.high, top + 1, b.open, b.close}), e - (n - i));
      b.open = std::min(b.open, b.high);
      b.close = std::min(b.close, b.high);
    } else {
      b.close = b.low + (b.high - b.low) * rng_.Int(300, 700) / 1000;
    }
    return b;
  }

  // An inside bar that closes against the leg: high at most the previous high, low at or above
  // `floor` (above the previous low).
  RawBar Pause(const RawBar& prev, std::int64_t floor, std::int64_t step) {
    RawBar b;
    b.open = std::clamp(prev.close + rng_.Int(-step / 5, step / 5), floor, prev.high);
    b.close = std::max(b.open - rng_.Int(0, step / 2), floor);
    b.high = std::min(std::max(b.open, b.close) + rng_.Int(0, step / 3), prev.high);
    b.low = std::max(std::min(b.open, b.close) - rng_.Int(0, step / 3), floor);
    return b;
  }

  // Thousandths of the leg covered after bar i of n.
  static std::int64_t Fraction(int i, int n, bool fast_start) {
    if (!fast_start || n < 5) return 1000 * i / n;
    if (i <= 3) return 550 * i / 3;
    return 550 + 450 * (i - 3) / (n - 3);
  }

  void Label(LabelType type, std::int64_t index, std::int64_t end, std::int64_t level_cents,
             std::string detail) {
    ScenarioLabel l;
    l.type = type;
    l.pattern_index = index;
    l.end_index = end;
    l.structure = structure_;
    l.level = Decimal::FromUnits(level_cents, 2);
    l.detail = std::move(detail);
    labels_.push_back(std::move(l));
  }

  // --- the range ----------------------------------------------------------------------------

  struct Levels {
    std::int64_t support = 0;
    std::int64_t resistance = 0;
    std::int64_t width_ppm = 0;
    std::int64_t resistance_band = 0;  // R touches' highs within this many ppm below R
    bool accumulation = true;
    std::vector<std::int64_t> touches;  // bar index of each touch, the climax first
  };

  std::int64_t SupportTouch(const Levels& r) { return Ppm(r.support, rng_.Int(0, 4'000)); }
  std::int64_t ResistanceTouch(const Levels& r) {
    return Ppm(r.resistance, -rng_.Int(0, r.resistance_band));
  }

  // Touches 1 .. count-1 after the climax (touch 0): the automatic rally or reaction (fast,
  // clear of the climax extreme by 2.2% from its 3rd bar on, so that the secondary test is
  // the next touch), then alternating legs of 5-9 bars. `decoy` (>= 8, of the climax's side)
  // is built by PlantDecoy instead of a touch.
  void Touches(Levels& r, int count, int decoy) {
    const bool acc = r.accumulation;
    for (int j = 1; j < count; ++j) {
      const bool to_resistance = (j % 2 == 1) == acc;
      const int n = static_cast<int>(j == 1 ? rng_.Int(5, 8) : rng_.Int(5, 9));
      if (j == decoy) {
        PlantDecoy(r, n);
      } else if (j == 1) {
        LegOptions fast{true, acc ? Ppm(r.support, 22'000) : Ppm(r.resistance, -22'000)};
        Leg(to_resistance, to_resistance ? ResistanceTouch(r) : SupportTouch(r), n, fast);
      } else {
        Leg(to_resistance, to_resistance ? ResistanceTouch(r) : SupportTouch(r), n);
      }
      r.touches.push_back(Last());
    }
  }

  // The first bar that may hold a spring or UTAD: 18 bars after the 8th touch. The range is
  // ACTIVE at the latest 5 bars after its 8th pivot (quality: 8 touches 30, >= 40 bars 30,
  // tight 20), phase B begins the next bar, and patterns count 10 bars later.
  static std::int64_t MatureFrom(const Levels& r) { return r.touches[7] + 18; }

  // A leg of `n` bars (longer when needed to reach `from`) whose last bar is at `extreme`.
  void LegReaching(bool up, std::int64_t extreme, int n, std::int64_t from) {
    n = std::max<int>(n, static_cast<int>(from - Last() - 1));
    Leg(up, extreme, n);
  }

  void PlantDecoy(const Levels& r, int n) {
    const std::int64_t s = r.support;
    const std::int64_t rr = r.resistance;
    RawBar b;
    LabelType type;
    std::string detail;
    if (r.accumulation) {
      Leg(false, Ppm(s, rng_.Int(6'000, 12'000)), n - 1);
      const bool deep = rng_.Percent(50);
      const std::int64_t depth = deep ? rng_.Int(58'000, 80'000) : rng_.Int(10'000, 30'000);
      const std::int64_t vr = deep ? rng_.Int(300, 600) : rng_.Int(1'300, 2'000);
      b = BarTo(Ppm(s, rng_.Int(6'000, 15'000)));
      b.low = Ppm(s, -depth);
      b.volume = VolumeAt(vr);
      type = deep ? LabelType::kDecoyDeepPierce : LabelType::kDecoyVolumePierce;
      detail = "depth " + Percent(depth) + " volume " + Ratio(vr);
    } else {
      Leg(true, Ppm(rr, -rng_.Int(3'000, 8'000)), n - 1);
      const std::int64_t pierce = rng_.Int(5'500, 8'500);
      const std::int64_t vr = rng_.Int(600, 1'200);
      b = BarTo(Ppm(rr, -rng_.Int(2'000, 6'000)));
      b.high = Ppm(rr, pierce);
      b.volume = VolumeAt(vr);
      type = LabelType::kDecoyWeakUpthrust;
      detail = "pierce " + Percent(pierce) + " volume " + Ratio(vr);
    }
    Push(b);
    Label(type, Last(), Last(), r.accumulation ? s : rr, detail);
  }

  void RangeLabel(const Levels& r, std::int64_t end) {
    Label(LabelType::kRange, r.touches[0], end, r.accumulation ? r.support : r.resistance,
          std::string(r.accumulation ? "accumulation" : "distribution") + " support " +
              std::to_string(r.support) + "c resistance " + std::to_string(r.resistance) +
              "c width " + Percent(r.width_ppm) + " touches " + std::to_string(r.touches.size()));
  }

  // --- accumulation -------------------------------------------------------------------------

  void Accumulation(bool failed) {
    Levels r;
    r.accumulation = true;
    r.width_ppm = rng_.Int(45'000, 100'000);
    r.resistance_band = 4'000;
    const std::int64_t margin = rng_.Int(100'000, 140'000);
    const std::int64_t planned =
        Close() * kMillion / (kMillion + r.width_ppm) * kMillion / (kMillion + margin);
    Leg(false, Ppm(planned, 30'000), static_cast<int>(rng_.Int(10, 16)));
    SellingClimax(r);
    const int count = static_cast<int>(failed ? 2 * rng_.Int(4, 6) : 2 * rng_.Int(5, 7));
    const int decoy =
        !failed && rng_.Percent(40) ? static_cast<int>(2 * rng_.Int(4, count / 2 - 1)) : -1;
    Touches(r, count, decoy);
    Label(LabelType::kSecondaryTest, r.touches[2], r.touches[2], r.support, "");
    if (failed) {
      Breakdown(r);
      return;
    }
    SpringAndTest(r);
    SignOfStrength(r);
  }

  // The climax ends the approach leg; its low is the support of the range.
  void SellingClimax(Levels& r) {
    const std::int64_t c = Close();
    const std::int64_t sr = rng_.Int(2'000, 3'000);
    const std::int64_t vr = rng_.Int(2'500, 4'000);
    const std::int64_t spread = MeanSpread() * sr / 1000;
    RawBar b;
    b.open = c - PartOf(c, rng_.Int(0, 2'000));
    b.high = b.open + PartOf(c, rng_.Int(0, 1'500));
    b.low = std::min(b.high - spread, bars_.back().low - 1);
    b.close = std::min(b.low + (b.high - b.low) * rng_.Int(550, 780) / 1000, c - 1);
    b.volume = VolumeAt(vr);
    Push(b);
    r.support = b.low;
    // The climax bar lies inside the range with room above it for the automatic rally.
    r.width_ppm = std::max(r.width_ppm, (b.high - b.low) * kMillion / b.low + 25'000);
    r.resistance = Ppm(r.support, r.width_ppm);
    r.touches.push_back(Last());
    Label(LabelType::kSellingClimax, Last(), Last(), r.support,
          "volume " + Ratio(vr) + " spread " + Ratio(sr));
  }

  // The spring leg, the spring, its recovery and its test.
  void SpringAndTest(const Levels& r) {
    const std::int64_t s = r.support;
    LegReaching(false, Ppm(s, rng_.Int(6'000, 12'000)), static_cast<int>(rng_.Int(5, 9)),
                MatureFrom(r));
    const std::int64_t depth = rng_.Int(12'000, 38'000);
    const std::int64_t vr = rng_.Int(200, 600);
    const int recovery = static_cast<int>(rng_.Int(0, 3));
    const std::int64_t above = Ppm(s, 8'000);   // clear of any support the pivots give
    const std::int64_t below = Ppm(s, -7'000);  // clearly not yet recovered
    RawBar b = BarTo(recovery == 0 ? above + PartOf(s, rng_.Int(0, 7'000)) : below);
    b.low = Ppm(s, -depth);
    if (recovery > 0) b.close = b.low + (below - b.low) * rng_.Int(300, 900) / 1000;
    b.high = std::max(b.high, b.close);
    b.volume = VolumeAt(vr);
    Push(b);
    const std::int64_t spring = Last();
    const std::int64_t spring_low = b.low;
    for (int i = 1; i < recovery; ++i) {  // below support, above the spring low
      RawBar w = BarTo(b.low + (below - b.low) * rng_.Int(300, 900) / 1000);
      w.low = std::max(std::min({w.low, w.open, w.close}), spring_low + PartOf(s, 3'000));
      w.open = std::max(w.open, w.low);
      w.close = std::max(w.close, w.low);
      w.high = std::max({w.high, w.open, w.close});
      Push(w);
    }
    if (recovery > 0) PushAbove(above + PartOf(s, rng_.Int(0, 7'000)), spring_low);
    Label(LabelType::kSpring, spring, spring, s,
          "depth " + Percent(depth) + " volume " + Ratio(vr) + " recovery " +
              std::to_string(recovery));
    // The test: 4-10 bars after the spring, a higher low within 2.4% of it on less volume
    // than the spring; the bars between trade above support on ordinary volume.
    const std::int64_t test_at = spring + rng_.Int(std::max(recovery + 2, 4), 10);
    while (Last() + 1 < test_at) {
      PushAbove(Ppm(s, rng_.Int(8'000, 30'000)), Ppm(spring_low, 8'000));
    }
    const std::int64_t test_low = Ppm(spring_low, rng_.Int(2'000, 24'000));
    const std::int64_t test_vr = vr * rng_.Int(450, 800) / 1000;
    RawBar t = BarTo(std::max(test_low + PartOf(s, 2'000), Ppm(s, rng_.Int(5'000, 12'000))));
    t.low = test_low;
    t.open = std::max(t.open, t.low);
    t.high = std::max({t.high, t.open, t.close});
    t.volume = VolumeAt(test_vr);
    Push(t);
    Label(LabelType::kSpringTest, spring, Last(), s,
          "test low " + Percent((test_low - spring_low) * kMillion / spring_low) +
              " above the spring volume " + Ratio(test_vr));
  }

  // An ordinary bar closing at `close` whose low stays above `floor`.
  void PushAbove(std::int64_t close, std::int64_t floor) {
    RawBar w = BarTo(close);
    w.low = std::max(w.low, floor + 1);
    w.open = std::max(w.open, w.low);
    w.close = std::max(w.close, w.low);
    w.high = std::max({w.high, w.open, w.close});
    Push(w);
  }

  // The rally to just below R, the SOS, a markup of 1-3 bars, the pullback to the LPS.
  void SignOfStrength(const Levels& r) {
    const std::int64_t rr = r.resistance;
    Leg(true, Ppm(rr, -rng_.Int(6'000, 15'000)), static_cast<int>(rng_.Int(5, 9)));
    const std::int64_t breakout = rng_.Int(35'000, 60'000);
    const std::int64_t vr = rng_.Int(1'800, 3'000);
    const std::int64_t sr = rng_.Int(1'600, 2'600);
    const std::int64_t spread = MeanSpread() * sr / 1000;
    RawBar b;
    b.open = Ppm(Close(), rng_.Int(-2'000, 3'000));
    b.close = Ppm(rr, breakout);
    b.high = b.close + spread * rng_.Int(0, 200) / 1000;
    b.low = std::min(b.high - spread, b.open - PartOf(b.open, rng_.Int(0, 2'000)));
    b.volume = VolumeAt(vr);
    Push(b);
    const std::int64_t sos = Last();
    RangeLabel(r, sos - 1);
    Label(LabelType::kSignOfStrength, sos, sos, rr,
          "close " + Percent(breakout) + " above resistance volume " + Ratio(vr));
    // Lows stay above R * 1.032 until the LPS bar, so that no earlier bar is a pullback.
    const std::int64_t clear = Ppm(rr, 32'000) + 1;
    for (int i = static_cast<int>(rng_.Int(1, 3)); i > 0; --i) {
      PushAbove(Ppm(Close(), rng_.Int(3'000, 15'000)), clear);
    }
    for (int i = static_cast<int>(rng_.Int(0, 2)); i > 0; --i) {
      PushAbove(std::max(Ppm(Close(), -rng_.Int(3'000, 10'000)), Ppm(rr, 34'000)), clear);
    }
    const std::int64_t low = Ppm(rr, rng_.Int(4'000, 18'000));
    const std::int64_t lps_vr = rng_.Int(450, 850);
    RawBar p = BarTo(Ppm(low, rng_.Int(2'000, 20'000)));
    p.low = low;
    p.open = std::max(p.open, p.low);
    p.high = std::max({p.high, p.open, p.close});
    p.volume = VolumeAt(lps_vr);
    Push(p);
    Label(
        LabelType::kLastPointOfSupport, Last(), Last(), rr,
        "low " + Percent((low - rr) * kMillion / rr) + " above resistance volume " + Ratio(lps_vr));
    PushAbove(Ppm(low, rng_.Int(15'000, 30'000)), Ppm(low, 3'000));
  }

  // A failed accumulation: from the last resistance touch down through support in one bar
  // that closes more than 5% below it.
  void Breakdown(const Levels& r) {
    const std::int64_t s = r.support;
    Leg(false, Ppm(s, rng_.Int(6'000, 15'000)), static_cast<int>(rng_.Int(5, 8)));
    const std::int64_t depth = rng_.Int(65'000, 90'000);
    const std::int64_t vr = rng_.Int(400, 650);
    RawBar b = BarTo(Ppm(s, -rng_.Int(56'000, std::min<std::int64_t>(depth - 2'000, 64'000))));
    b.low = Ppm(s, -depth);
    b.volume = VolumeAt(vr);
    Push(b);
    RangeLabel(r, Last() - 1);
    Label(LabelType::kDecoyBreakdown, Last(), Last(), s,
          "low " + Percent(depth) + " below support volume " + Ratio(vr));
  }

  // --- distribution -------------------------------------------------------------------------

  void Distribution(bool failed) {
    Levels r;
    r.accumulation = false;
    r.width_ppm = rng_.Int(45'000, 100'000);
    r.resistance_band = 1'200;  // tight, so that R is known to 0.12% for the UTAD band
    const std::int64_t margin = rng_.Int(100'000, 140'000);
    const std::int64_t planned = Ppm(Ppm(Close(), margin), r.width_ppm);
    Leg(true, Ppm(planned, -30'000), static_cast<int>(rng_.Int(10, 16)));
    BuyingClimax(r);
    const int count = static_cast<int>(failed ? 2 * rng_.Int(4, 6) : 2 * rng_.Int(5, 7));
    const int decoy =
        !failed && rng_.Percent(40) ? static_cast<int>(2 * rng_.Int(4, count / 2 - 1)) : -1;
    Touches(r, count, decoy);
    Label(LabelType::kSecondaryTest, r.touches[2], r.touches[2], r.resistance, "");
    if (failed) {
      Breakout(r);
      return;
    }
    Upthrust(r);
    Markdown(r);
  }

  // The climax ends the approach leg; its high is the resistance of the range.
  void BuyingClimax(Levels& r) {
    const std::int64_t c = Close();
    const std::int64_t sr = rng_.Int(2'000, 3'000);
    const std::int64_t vr = rng_.Int(2'500, 4'000);
    const std::int64_t spread = MeanSpread() * sr / 1000;
    RawBar b;
    b.open = c + PartOf(c, rng_.Int(0, 2'000));
    b.low = b.open - PartOf(c, rng_.Int(0, 1'500));
    b.high = std::max({b.low + spread, bars_.back().high + 1, b.open});
    b.close = std::max(b.low + (b.high - b.low) * rng_.Int(220, 450) / 1000, c + 1);
    b.volume = VolumeAt(vr);
    Push(b);
    r.resistance = b.high;
    r.width_ppm = std::max(r.width_ppm, (b.high - b.low) * kMillion / b.low + 25'000);
    r.support = r.resistance * kMillion / (kMillion + r.width_ppm);
    r.touches.push_back(Last());
    Label(LabelType::kBuyingClimax, Last(), Last(), r.resistance,
          "volume " + Ratio(vr) + " spread " + Ratio(sr));
  }

  // The UTAD: high 0.62-0.82% above R on 1.8-3.0x volume, back below R within 0-2 bars.
  void Upthrust(const Levels& r) {
    const std::int64_t rr = r.resistance;
    LegReaching(true, Ppm(rr, -rng_.Int(3'000, 8'000)), static_cast<int>(rng_.Int(5, 9)),
                MatureFrom(r));
    const std::int64_t pierce = rng_.Int(6'200, 8'200);
    const std::int64_t vr = rng_.Int(1'800, 3'000);
    const int failure = static_cast<int>(rng_.Int(0, 2));
    const std::int64_t high = Ppm(rr, pierce);
    const std::int64_t capped = Ppm(rr, pierce - 1'500);  // later bars stay below the UTAD
    auto inside = [&] { return Ppm(rr, -rng_.Int(2'500, 8'000)); };
    auto above = [&] { return Ppm(rr, rng_.Int(500, 3'000)); };
    RawBar b = BarTo(failure == 0 ? inside() : above());
    b.high = high;
    b.volume = VolumeAt(vr);
    Push(b);
    const std::int64_t utad = Last();
    for (int i = 1; i <= failure; ++i) {
      RawBar w = BarTo(i == failure ? inside() : above());
      w.high = std::min(w.high, capped);
      w.open = std::min(w.open, w.high);
      w.low = std::min({w.low, w.open, w.close});
      Push(w);
    }
    Label(LabelType::kUpthrust, utad, utad, rr,
          "pierce " + Percent(pierce) + " volume " + Ratio(vr) + " failure " +
              std::to_string(failure));
  }

  // From the UTAD down to support and through it on ordinary volume, decisively.
  void Markdown(const Levels& r) {
    const std::int64_t s = r.support;
    Leg(false, Ppm(s, rng_.Int(2'000, 8'000)), static_cast<int>(rng_.Int(5, 9)));
    Push(BarTo(Ppm(s, -rng_.Int(20'000, 40'000))));
    RangeLabel(r, Last() - 1);
    Leg(false, Ppm(s, -rng_.Int(80'000, 120'000)), static_cast<int>(rng_.Int(5, 9)));
  }

  // A failed distribution: a close 5.5-8% above resistance on volume.
  void Breakout(const Levels& r) {
    const std::int64_t rr = r.resistance;
    Leg(true, Ppm(rr, -rng_.Int(4'000, 9'000)), static_cast<int>(rng_.Int(5, 8)));
    const std::int64_t size = rng_.Int(55'000, 80'000);
    const std::int64_t vr = rng_.Int(1'800, 2'800);
    RawBar b = BarTo(Ppm(rr, size));
    b.volume = VolumeAt(vr);
    Push(b);
    RangeLabel(r, Last() - 1);
    Label(LabelType::kDecoyBreakout, Last(), Last(), rr,
          "close " + Percent(size) + " above resistance volume " + Ratio(vr));
  }

  ScenarioOptions options_;
  Random rng_;
  std::vector<RawBar> bars_;
  std::vector<ScenarioLabel> labels_;
  std::int64_t base_volume_ = 100'000;
  int structure_ = 0;
  bool last_up_ = false;
};

Structure NextStructure(ScenarioKind kind, int index, Random& rng) {
  const bool failed = rng.Percent(20);
  const bool accumulation =
      kind == ScenarioKind::kAccumulation || (kind == ScenarioKind::kMixed && index % 2 == 0);
  if (accumulation) return failed ? Structure::kFailedAccumulation : Structure::kAccumulation;
  return failed ? Structure::kFailedDistribution : Structure::kDistribution;
}

constexpr std::array<LabelType, 9> kScoredTypes = {
    LabelType::kSellingClimax,  LabelType::kBuyingClimax,
    LabelType::kSecondaryTest,  LabelType::kRange,
    LabelType::kSpring,         LabelType::kSpringTest,
    LabelType::kSignOfStrength, LabelType::kLastPointOfSupport,
    LabelType::kUpthrust};

EventType EventFor(LabelType type) {
  switch (type) {
    case LabelType::kSellingClimax:
      return EventType::kSellingClimax;
    case LabelType::kBuyingClimax:
      return EventType::kBuyingClimax;
    case LabelType::kSecondaryTest:
      return EventType::kSecondaryTest;
    case LabelType::kSpring:
      return EventType::kSpring;
    case LabelType::kSpringTest:
      return EventType::kSpringTest;
    case LabelType::kSignOfStrength:
      return EventType::kSignOfStrength;
    case LabelType::kLastPointOfSupport:
      return EventType::kLastPointOfSupport;
    case LabelType::kUpthrust:
      return EventType::kUpthrust;
    default:
      return EventType::kRangeActive;
  }
}

AccuracyRow ScoreRanges(const std::vector<ScenarioLabel>& labels,
                        const std::vector<PatternEvent>& events) {
  AccuracyRow row;
  row.type = "RANGE";
  std::vector<const ScenarioLabel*> ranges;
  for (const ScenarioLabel& l : labels) {
    if (l.type == LabelType::kRange) ranges.push_back(&l);
  }
  row.labels = static_cast<int>(ranges.size());
  std::vector<bool> found(ranges.size(), false);
  for (const PatternEvent& e : events) {
    if (e.type != EventType::kRangeActive) continue;
    ++row.detected;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      if (e.confirm_index >= ranges[i]->pattern_index && e.confirm_index <= ranges[i]->end_index) {
        ++row.true_positives;
        found[i] = true;
        break;
      }
    }
  }
  row.labels_found = static_cast<int>(std::count(found.begin(), found.end(), true));
  return row;
}

AccuracyRow ScorePoints(LabelType type, const std::vector<ScenarioLabel>& labels,
                        const std::vector<PatternEvent>& events, int tolerance) {
  AccuracyRow row;
  row.type = std::string(LabelTypeName(type));
  std::vector<const ScenarioLabel*> planted;
  for (const ScenarioLabel& l : labels) {
    if (l.type == type) planted.push_back(&l);
  }
  row.labels = static_cast<int>(planted.size());
  std::vector<bool> used(planted.size(), false);
  const EventType wanted = EventFor(type);
  for (const PatternEvent& e : events) {
    if (e.type != wanted) continue;
    ++row.detected;
    int best = -1;
    std::int64_t best_distance = 0;
    for (std::size_t i = 0; i < planted.size(); ++i) {
      const std::int64_t d = std::abs(e.pattern_index - planted[i]->pattern_index);
      const bool near =
          d <= tolerance && (type != LabelType::kSpringTest ||
                             std::abs(e.confirm_index - planted[i]->end_index) <= tolerance);
      if (!used[i] && near && (best < 0 || d < best_distance)) {
        best = static_cast<int>(i);
        best_distance = d;
      }
    }
    if (best >= 0) {
      used[static_cast<std::size_t>(best)] = true;
      ++row.true_positives;
    }
  }
  row.labels_found = row.true_positives;
  return row;
}

}  // namespace

std::string_view ScenarioKindName(ScenarioKind kind) {
  switch (kind) {
    case ScenarioKind::kAccumulation:
      return "accumulation";
    case ScenarioKind::kDistribution:
      return "distribution";
    case ScenarioKind::kMixed:
      return "mixed";
  }
  return "?";
}

Result<ScenarioKind> ParseScenarioKind(std::string_view name) {
  for (ScenarioKind kind :
       {ScenarioKind::kAccumulation, ScenarioKind::kDistribution, ScenarioKind::kMixed}) {
    if (name == ScenarioKindName(kind)) return kind;
  }
  return Fail(ErrorCode::kInvalidArgument, "unknown scenario \"" + std::string(name) +
                                               "\" (choose accumulation, distribution or mixed)");
}

std::string_view LabelTypeName(LabelType type) {
  switch (type) {
    case LabelType::kSellingClimax:
      return "SC";
    case LabelType::kBuyingClimax:
      return "BC";
    case LabelType::kSecondaryTest:
      return "ST";
    case LabelType::kRange:
      return "RANGE";
    case LabelType::kSpring:
      return "SPRING";
    case LabelType::kSpringTest:
      return "SPRING_TEST";
    case LabelType::kSignOfStrength:
      return "SOS";
    case LabelType::kLastPointOfSupport:
      return "LPS";
    case LabelType::kUpthrust:
      return "UTAD";
    case LabelType::kDecoyDeepPierce:
      return "DECOY_DEEP_PIERCE";
    case LabelType::kDecoyVolumePierce:
      return "DECOY_VOLUME_PIERCE";
    case LabelType::kDecoyBreakdown:
      return "DECOY_BREAKDOWN";
    case LabelType::kDecoyWeakUpthrust:
      return "DECOY_WEAK_UPTHRUST";
    case LabelType::kDecoyBreakout:
      return "DECOY_BREAKOUT";
  }
  return "?";
}

bool IsDecoy(LabelType type) {
  return type == LabelType::kDecoyDeepPierce || type == LabelType::kDecoyVolumePierce ||
         type == LabelType::kDecoyBreakdown || type == LabelType::kDecoyWeakUpthrust ||
         type == LabelType::kDecoyBreakout;
}

Result<Scenario> GenerateScenario(const ScenarioOptions& options) {
  if (options.bars < kMinScenarioBars) {
    return Fail(ErrorCode::kInvalidArgument,
                "a scenario needs at least " + std::to_string(kMinScenarioBars) +
                    " bars to hold one structure, got " + std::to_string(options.bars));
  }
  if (options.bars > kMaxScenarioBars) {
    return Fail(ErrorCode::kInvalidArgument, "a scenario holds at most " +
                                                 std::to_string(kMaxScenarioBars) + " bars, got " +
                                                 std::to_string(options.bars));
  }
  if (options.start_cents < 1'000 || options.start_cents > 1'000'000) {
    return Fail(ErrorCode::kInvalidArgument,
                "the start price must be 10.00 .. 10000.00, got " +
                    Decimal::FromUnits(options.start_cents, 2).ToString());
  }
  Random choices(options.seed);
  Generator g(options);
  Structure next = NextStructure(options.kind, 0, choices);
  g.WarmUp(next);
  for (int index = 0;; ++index) {
    // A structure takes a few hundred bars: far from the end it surely fits, and the generator
    // (every bar so far) is copied only near the end, where the last one may not.
    constexpr std::size_t kRoom = 2'000;
    if (g.size() + kRoom < options.bars) {
      g.Build(next);
      WYCKOFF_CHECK(g.size() <= options.bars, "a structure took more bars than kRoom");
    } else {
      Generator before = g;
      g.Build(next);
      if (g.size() > options.bars) {
        g = std::move(before);
        break;
      }
    }
    next = NextStructure(options.kind, index + 1, choices);
  }
  WYCKOFF_CHECK(g.structures() > 0, "kMinScenarioBars is too small for one structure");
  g.Fill(options.bars);
  return std::move(g).Finish();
}

std::vector<AccuracyRow> MeasureAccuracy(const std::vector<ScenarioLabel>& labels,
                                         const std::vector<PatternEvent>& events, int tolerance) {
  std::vector<AccuracyRow> rows;
  for (LabelType type : kScoredTypes) {
    rows.push_back(type == LabelType::kRange ? ScoreRanges(labels, events)
                                             : ScorePoints(type, labels, events, tolerance));
  }
  return rows;
}

void AddRows(std::vector<AccuracyRow>& total, const std::vector<AccuracyRow>& rows) {
  for (const AccuracyRow& row : rows) {
    auto it = std::find_if(total.begin(), total.end(),
                           [&](const AccuracyRow& t) { return t.type == row.type; });
    if (it == total.end()) {
      total.push_back(row);
      continue;
    }
    it->labels += row.labels;
    it->detected += row.detected;
    it->true_positives += row.true_positives;
    it->labels_found += row.labels_found;
  }
}

}  // namespace wyckoff::detectors
