#!/usr/bin/env python3
"""Writes a CSV of synthetic 1-minute OHLCV bars: a seeded random walk, for profiling and
capacity runs at sizes the bundled files cannot give.

    scripts/synthetic-bars.py 1000000 build/profiles/bars-1m.csv     # 1M bars, about 50 MB

The same arguments always give the same file. Bars run every minute from 2000-01-03 00:00,
prices in whole cents (a walk of at most 5 cents a minute, kept above 1.00), volume between
1,000 and 101,000; every row satisfies low <= open, close <= high.
"""

import argparse
import datetime
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bars", type=int, help="how many bars")
    parser.add_argument("out", help="the CSV file to write")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    minute = datetime.timedelta(minutes=1)
    time = datetime.datetime(2000, 1, 3)
    close = 10_000  # cents
    with open(args.out, "w", encoding="ascii") as f:
        f.write("Date,Time,Open,High,Low,Close,Volume\n")
        for _ in range(args.bars):
            open_ = close
            close = max(100, open_ + rng.randint(-5, 5))
            high = max(open_, close) + rng.randint(0, 3)
            low = max(1, min(open_, close) - rng.randint(0, 3))
            volume = 1_000 + rng.randint(0, 100_000)
            f.write(
                "{:%Y-%m-%d,%H:%M:%S},{}.{:02d},{}.{:02d},{}.{:02d},{}.{:02d},{}\n".format(
                    time, *divmod(open_, 100), *divmod(high, 100), *divmod(low, 100),
                    *divmod(close, 100), volume
                )
            )
            time += minute


if __name__ == "__main__":
    main()
