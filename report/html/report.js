// The wyckoff HTML report (report/html/report.js): draws the run held in
// the script element #wyckoff-data (docs/report.md) with TradingView's lightweight-charts.
//
// The chart keeps at most about one candle per pixel: it aggregates the bars to the coarsest
// period that still shows every candle, and loads the bars around the visible range only, so a
// million bars stay responsive and zooming in shows every bar. What it drew is on <body> as
// data- attributes (data-ready, data-event-markers, data-trade-markers, data-markers, ...),
// which the browser tests compare with the data.
(function () {
  'use strict';

  const body = document.body;
  let errorCount = 0;
  window.addEventListener('error', () => {
    errorCount += 1;
    body.dataset.errors = String(errorCount);
  });

  const LWC = window.LightweightCharts;
  const D = JSON.parse(document.getElementById('wyckoff-data').textContent);

  // Period lengths in seconds, and their origin (a Monday), as in report/chart_series.h.
  const PERIODS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 86400, 604800,
    2419200, 31449600];
  const ORIGIN = 4 * 86400;
  const UP = '#26a69a', DOWN = '#ef5350';
  const SIGNAL_LONG = ['SPRING', 'SPRING_TEST', 'SOS', 'LPS'];
  const SIGNAL_SHORT = ['UTAD', 'SOW', 'LPSY'];
  const LABELS = {
    SPRING: 'Spring', SPRING_TEST: 'Test', SPRING_INVALIDATED: 'Invalid', RANGE_ACTIVE: 'TR',
    RANGE_BROKEN_DOWN: 'TR\u2193', RANGE_BROKEN_UP: 'TR\u2191', NOTE: 'Note',
  };

  // ---------------------------------------------------------------- helpers

  function periodStart(t, p) { return Math.floor((t - ORIGIN) / p) * p + ORIGIN; }
  // The first index of sorted `a` whose value is >= x (a.length when none).
  function lowerBound(a, x) {
    let lo = 0, hi = a.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function upperBound(a, x) {
    let lo = 0, hi = a.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid] <= x) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function formatTime(t, intraday) {
    const s = new Date(t * 1000).toISOString();
    return intraday ? s.slice(0, 10) + ' ' + s.slice(11, 19) : s.slice(0, 10);
  }
  function time(t) { return formatTime(t, D.intraday); }
  function parseTime(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text || '');
    if (!m) return null;
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0)) / 1000;
  }
  function describePeriod(p) {
    if (p === 0) return 'one bar';
    const units = [[31449600, '52 weeks'], [2419200, '4 weeks'], [604800, 'week'], [86400, 'day'],
      [3600, 'hour'], [60, 'minute'], [1, 'second']];
    for (const [len, name] of units) {
      if (p % len === 0) {
        const n = p / len;
        return n === 1 ? '1 ' + name : n + ' ' + name + 's';
      }
    }
    return p + ' s';
  }
  function number(v, places) {
    if (v === null || v === undefined || v === '') return '';
    if (typeof v === 'string') return v;
    if (!Number.isFinite(v)) return String(v);
    if (places === undefined) return String(v);
    return v.toFixed(places);
  }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function isNumeric(v) { return typeof v === 'number' || (typeof v === 'string' && v !== '' && !isNaN(+v)); }

  // ---------------------------------------------------------------- the data as series

  // One symbol's bars (symbol-major rows [symbol, time, open, high, low, close, volume]).
  function splitBars() {
    const counts = D.symbols.map(() => 0);
    for (const row of D.bars) counts[row[0]] += 1;
    const out = D.symbols.map((s, i) => ({
      n: 0, period: s.period, t: new Float64Array(counts[i]), o: new Float64Array(counts[i]),
      h: new Float64Array(counts[i]), l: new Float64Array(counts[i]),
      c: new Float64Array(counts[i]), v: new Float64Array(counts[i]), levels: new Map(),
    }));
    for (const row of D.bars) {
      const s = out[row[0]], k = s.n++;
      s.t[k] = row[1]; s.o[k] = +row[2]; s.h[k] = +row[3]; s.l[k] = +row[4];
      s.c[k] = +row[5]; s.v[k] = +row[6];
    }
    return out;
  }

  function aggregateBars(base, p) {
    const t = [], o = [], h = [], l = [], c = [], v = [];
    for (let i = 0; i < base.n; i++) {
      const key = periodStart(base.t[i], p), k = t.length - 1;
      if (k >= 0 && t[k] === key) {
        if (base.h[i] > h[k]) h[k] = base.h[i];
        if (base.l[i] < l[k]) l[k] = base.l[i];
        c[k] = base.c[i]; v[k] += base.v[i];
      } else {
        t.push(key); o.push(base.o[i]); h.push(base.h[i]); l.push(base.l[i]);
        c.push(base.c[i]); v.push(base.v[i]);
      }
    }
    return { n: t.length, period: p, t, o, h, l, c, v };
  }

  function equityBase() {
    const n = D.equity.length, aggregated = D.equity_aggregated;
    const e = { n, period: D.equity_period, t: new Float64Array(n), cash: new Float64Array(n),
      eq: new Float64Array(n), lo: new Float64Array(n), dd: new Float64Array(n), levels: new Map() };
    let peak = -Infinity;
    for (let i = 0; i < n; i++) {
      const row = D.equity[i];
      e.t[i] = row[0]; e.cash[i] = +row[1]; e.eq[i] = +row[2];
      e.lo[i] = aggregated ? +row[3] : e.eq[i];
      const high = aggregated ? +row[4] : e.eq[i];
      if (high > peak) peak = high;
      e.dd[i] = peak > 0 ? Math.min(0, e.lo[i] / peak - 1) * 100 : 0;
    }
    return e;
  }

  function aggregateEquity(base, p) {
    const t = [], cash = [], eq = [], dd = [];
    for (let i = 0; i < base.n; i++) {
      const key = periodStart(base.t[i], p), k = t.length - 1;
      if (k >= 0 && t[k] === key) {
        cash[k] = base.cash[i]; eq[k] = base.eq[i];
        if (base.dd[i] < dd[k]) dd[k] = base.dd[i];
      } else {
        t.push(key); cash.push(base.cash[i]); eq.push(base.eq[i]); dd.push(base.dd[i]);
      }
    }
    return { n: t.length, period: p, t, cash, eq, dd };
  }

  // The series at period p (0: as in the data), made once.
  function level(base, p, aggregate) {
    if (p === 0 || p <= base.period) return base;
    if (!base.levels.has(p)) base.levels.set(p, aggregate(base, p));
    return base.levels.get(p);
  }

  const bars = splitBars();
  const equity = equityBase();
  // Events are rows with the columns of events.csv; details by name.
  const detailColumn = {};
  D.event_columns.forEach((name, i) => { if (i >= 6) detailColumn[name] = i; });
  const events = D.events.map((row, index) => ({ index, row, symbol: row[0], type: row[1],
    pattern_time: row[2], confirm_time: row[3], level: row[4], confidence: row[5] }));
  function detail(e, name) {
    const i = detailColumn[name];
    return i === undefined ? '' : e.row[i];
  }
  D.trades.forEach((t, i) => { t.index = i; });

  // Items of one symbol that last from item[start] to item[end], found by time: those that
  // overlap [a, b] without a pass over all of them (a long run has 100 000s of events).
  function timeIndex(items, start, end) {
    const sorted = items.slice().sort((x, y) => x[end] - y[end]);
    let span = 0;
    for (const x of sorted) span = Math.max(span, x[end] - x[start]);
    return { items: sorted, ends: Float64Array.from(sorted, (x) => x[end]), span, start };
  }
  // At most `limit` of them (default: all).
  function within(ix, a, b, limit) {
    const out = [], most = limit === undefined ? Infinity : limit;
    const last = upperBound(ix.ends, b + ix.span);
    for (let i = lowerBound(ix.ends, a); i < last && out.length < most; i++) {
      if (ix.items[i][ix.start] <= b) out.push(ix.items[i]);
    }
    return out;
  }
  // Drawings per pane beyond which a kind of drawing waits for the user to zoom in.
  const MAX_DRAWN = 2000;
  const lastTime = D.bars.length ? D.bars.reduce((m, b) => Math.max(m, b[1]), -Infinity) : 0;
  D.ranges.forEach((r) => { r.until = r.end === null ? Math.max(lastTime, r.start) : r.end; });
  const bySymbol = (items) => D.symbols.map((_, s) => items.filter((x) => x.symbol === s));
  const eventIndex = bySymbol(events).map((list) => timeIndex(list, 'pattern_time', 'confirm_time'));
  const tradeIndex = bySymbol(D.trades).map((list) => timeIndex(list, 'entry_time', 'exit_time'));
  const rangeIndex = bySymbol(D.ranges).map((list) => timeIndex(list, 'start', 'until'));
  // Beyond this many markers in the loaded stretch, each candle gets one marker per kind of
  // event (its label: how many), so that a long run stays responsive.
  const MAX_MARKERS = 2000;
  const windows = D.windows || [];

  // ---------------------------------------------------------------- the chart

  const container = document.getElementById('chart');
  const chart = LWC.createChart(container, {
    autoSize: true,
    layout: { background: { color: '#ffffff' }, textColor: '#1f2328', fontSize: 11,
      attributionLogo: true, panes: { separatorColor: '#d1d9e0' } },
    grid: { vertLines: { color: '#f0f3f6' }, horzLines: { color: '#f0f3f6' } },
    rightPriceScale: { borderColor: '#d1d9e0' },
    timeScale: { borderColor: '#d1d9e0', timeVisible: D.intraday, secondsVisible: false,
      minBarSpacing: 0.05, rightOffset: 2 },
    crosshair: { mode: 0 },
  });
  const candles = chart.addSeries(LWC.CandlestickSeries, {
    upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP,
    wickDownColor: DOWN, priceLineVisible: false,
  }, 0);
  const volume = chart.addSeries(LWC.HistogramSeries, {
    priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false,
    priceLineVisible: false,
  }, 0);
  volume.priceScale().applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
  candles.priceScale().applyOptions({ scaleMargins: { top: 0.06, bottom: 0.2 } });
  const equityLine = chart.addSeries(LWC.LineSeries, {
    color: '#2962ff', lineWidth: 2, title: 'equity', priceLineVisible: false,
  }, 1);
  const cashLine = chart.addSeries(LWC.LineSeries, {
    color: '#8c959f', lineWidth: 1, lineStyle: 2, title: 'cash', priceLineVisible: false,
  }, 1);
  const drawdown = chart.addSeries(LWC.AreaSeries, {
    lineColor: '#cf222e', topColor: 'rgba(207, 34, 46, 0.05)',
    bottomColor: 'rgba(207, 34, 46, 0.35)', lineWidth: 1, title: 'drawdown %',
    priceLineVisible: false, invertFilledArea: true,
    priceFormat: { type: 'custom', formatter: (v) => v.toFixed(1) + '%' },
  }, 2);
  const panes = chart.panes();
  panes[0].setStretchFactor(3);
  panes[1].setStretchFactor(1.3);
  panes[2].setStretchFactor(0.7);
  const markers = LWC.createSeriesMarkers(candles, []);
  const timeScale = chart.timeScale();

  // What is loaded: the symbol, the period, the time window and the chart's time axis (every
  // time any loaded series has, sorted: the chart's logical indices).
  const view = { symbol: 0, period: -1, from: -Infinity, to: Infinity, windowed: false,
    bars: null, barsFirst: 0, barsLast: -1, equity: null, axis: [] };

  function logicalAt(t) {
    const a = view.axis, n = a.length;
    if (n === 0) return 0;
    if (n === 1) return 0;
    if (t <= a[0]) return (t - a[0]) / (a[1] - a[0]);
    if (t >= a[n - 1]) return n - 1 + (t - a[n - 1]) / (a[n - 1] - a[n - 2]);
    const i = upperBound(a, t) - 1;
    return i + (t - a[i]) / (a[i + 1] - a[i]);
  }
  function timeAt(x) {
    const a = view.axis, n = a.length;
    if (n === 0) return 0;
    if (n === 1) return a[0];
    if (x <= 0) return a[0] + x * (a[1] - a[0]);
    if (x >= n - 1) return a[n - 1] + (x - n + 1) * (a[n - 1] - a[n - 2]);
    const i = Math.floor(x);
    return a[i] + (x - i) * (a[i + 1] - a[i]);
  }
  // The x coordinate of second t (between two candles: in proportion). The chart converts
  // whole logical indices only.
  function xAt(t) {
    const x = logicalAt(t), i = Math.floor(x), f = x - i;
    const c0 = timeScale.logicalToCoordinate(i);
    if (c0 === null || f === 0) return c0;
    const c1 = timeScale.logicalToCoordinate(i + 1);
    return c1 === null ? c0 : c0 + f * (c1 - c0);
  }
  function visibleTimes() {
    const r = timeScale.getVisibleLogicalRange();
    if (!r) return null;
    return [timeAt(r.from), timeAt(r.to)];
  }
  function maxPoints() { return Math.max(200, Math.floor(container.clientWidth || 1000)); }
  function dataSpan(s) {
    const b = bars[s];
    let first = b.n ? b.t[0] : Infinity, last = b.n ? b.t[b.n - 1] : -Infinity;
    if (equity.n) { first = Math.min(first, equity.t[0]); last = Math.max(last, equity.t[equity.n - 1]); }
    return [first, last];
  }
  function count(series, a, b) { return upperBound(series.t, b) - lowerBound(series.t, a); }

  // Points on the time axis in [a, b] at period p: the candles' and the equity curve's (a
  // universe's clock can be much denser than one symbol's bars).
  function points(p, a, b) {
    return Math.max(count(level(bars[view.symbol], p, aggregateBars), a, b),
      count(level(equity, p, aggregateEquity), a, b));
  }

  // The period that shows the range [a, b] with at most maxPoints() points: the finest such,
  // with some slack around the current one so that the chart does not flip between two.
  function periodFor(a, b) {
    const base = bars[view.symbol], limit = maxPoints();
    const choices = [0].concat(PERIODS.filter((p) => p > base.period));
    let chosen = choices[choices.length - 1];
    for (const p of choices) {
      if (points(p, a, b) <= limit) { chosen = p; break; }
    }
    if (view.period >= 0 && chosen !== view.period) {
      const now = points(view.period, a, b);
      const next = points(chosen, a, b);
      if (chosen < view.period && next > 0.8 * limit) return view.period;
      if (chosen > view.period && now <= 1.25 * limit) return view.period;
    }
    return chosen;
  }

  // Loads the symbol's bars and the equity at period p around [a, b] and shows [a, b].
  function load(p, a, b) {
    const base = bars[view.symbol];
    const B = level(base, p, aggregateBars);
    const E = level(equity, p, aggregateEquity);
    const limit = maxPoints(), span = Math.max(b - a, 1);
    const whole = B.n <= 4 * limit && E.n <= 8 * limit;
    const from = whole ? -Infinity : a - span, to = whole ? Infinity : b + span;
    const b0 = lowerBound(B.t, from), b1 = upperBound(B.t, to);
    const e0 = lowerBound(E.t, from), e1 = upperBound(E.t, to);
    const candleData = [], volumeData = [];
    for (let i = b0; i < b1; i++) {
      candleData.push({ time: B.t[i], open: B.o[i], high: B.h[i], low: B.l[i], close: B.c[i] });
      volumeData.push({ time: B.t[i], value: B.v[i],
        color: B.c[i] >= B.o[i] ? 'rgba(38, 166, 154, 0.45)' : 'rgba(239, 83, 80, 0.45)' });
    }
    const eqData = [], cashData = [], ddData = [];
    for (let i = e0; i < e1; i++) {
      eqData.push({ time: E.t[i], value: E.eq[i] });
      cashData.push({ time: E.t[i], value: E.cash[i] });
      ddData.push({ time: E.t[i], value: E.dd[i] });
    }
    // The chart's axis: the union of both series' times.
    const axis = [];
    let i = b0, j = e0;
    while (i < b1 || j < e1) {
      const t = j >= e1 || (i < b1 && B.t[i] <= E.t[j]) ? B.t[i] : E.t[j];
      if (i < b1 && B.t[i] === t) i++;
      if (j < e1 && E.t[j] === t) j++;
      axis.push(t);
    }
    Object.assign(view, { period: p, from, to, windowed: !whole, bars: B, barsFirst: b0,
      barsLast: b1 - 1, equity: E, axis });
    candles.setData(candleData);
    volume.setData(volumeData);
    equityLine.setData(eqData);
    cashLine.setData(cashData);
    drawdown.setData(ddData);
    setMarkers();
    overlay.requestUpdate();
    equityOverlay.requestUpdate();
    timeScale.setVisibleLogicalRange({ from: logicalAt(a), to: logicalAt(b) });
    body.dataset.period = String(p === 0 ? base.period : p);
    body.dataset.barsDrawn = String(candleData.length);
    body.dataset.first = String(candleData.length ? candleData[0].time : '');
    body.dataset.last = String(candleData.length ? candleData[candleData.length - 1].time : '');
    body.dataset.equityDrawn = String(eqData.length);
    const shown = p === 0 ? base.period : p;
    document.getElementById('resolution').textContent = 'each candle: ' +
      (shown === 0 ? 'one bar' : describePeriod(shown) + (p === 0 ? '' : ' (zoom in for more detail)'));
  }

  // The index of the loaded candle that holds second t (the last one at or before t), or -1
  // when that candle is not loaded.
  function candleAt(t) {
    const B = view.bars;
    if (!B || view.barsLast < view.barsFirst) return -1;
    const i = upperBound(B.t, t) - 1;
    return i < view.barsFirst || i > view.barsLast ? -1 : i;
  }

  function eventMarker(e) {
    const long = SIGNAL_LONG.includes(e.type), short = SIGNAL_SHORT.includes(e.type);
    const label = LABELS[e.type] || e.type;
    const traded = detail(e, 'status') === 'TRADED';
    if (long) return { position: 'belowBar', shape: 'arrowUp', color: '#00897b', text: label + (traded ? ' \u2713' : '') };
    if (short) return { position: 'aboveBar', shape: 'arrowDown', color: '#d81b60', text: label + (traded ? ' \u2713' : '') };
    if (e.type === 'BC' || e.type === 'RANGE_BROKEN_UP' || e.type === 'NOTE') {
      return { position: 'aboveBar', shape: e.type === 'BC' ? 'circle' : 'square',
        color: e.type === 'NOTE' ? '#bf8700' : '#6e7781', text: label };
    }
    return { position: 'belowBar', shape: e.type.startsWith('RANGE') ? 'square' : 'circle',
      color: e.type === 'SC' || e.type === 'ST' ? '#5c6bc0' : '#6e7781', text: label };
  }

  function tradeMarkers(t, i, k) {
    const long = t.direction === 'LONG', out = [];
    if (i >= 0) {
      out.push({ time: view.bars.t[i], id: 't' + t.index + 'in', color: '#2962ff',
        position: long ? 'belowBar' : 'aboveBar', shape: long ? 'arrowUp' : 'arrowDown',
        text: (long ? 'Buy' : 'Short') + (t.tag ? ' ' + t.tag : '') });
    }
    if (k >= 0) {
      const r = t.r_multiple !== null ? (t.r_multiple >= 0 ? '+' : '') + Number(t.r_multiple).toFixed(2) + 'R' : '';
      out.push({ time: view.bars.t[k], id: 't' + t.index + 'out', color: '#e36209',
        position: long ? 'aboveBar' : 'belowBar', shape: long ? 'arrowDown' : 'arrowUp',
        text: 'Exit ' + r });
    }
    return out;
  }

  // One marker per event at its pattern bar and two per trade, in the loaded stretch; above
  // MAX_MARKERS, one per candle and kind, labelled with how many it stands for.
  function setMarkers() {
    const B = view.bars;
    if (!B || view.barsLast < view.barsFirst) {
      markers.setMarkers([]);
      return;
    }
    const a = B.t[view.barsFirst], b = view.windowed ? view.to : Infinity;
    const placed = [];  // [candle, marker, events it stands for, trade markers]
    for (const e of within(eventIndex[view.symbol], a, b)) {
      const i = candleAt(e.pattern_time);
      if (i >= 0) placed.push([i, Object.assign({ id: 'e' + e.index }, eventMarker(e)), 1, 0]);
    }
    for (const t of within(tradeIndex[view.symbol], a, b)) {
      const i = candleAt(t.entry_time), k = candleAt(t.exit_time);
      for (const m of tradeMarkers(t, i, k)) placed.push([m.id.endsWith('in') ? i : k, m, 0, 1]);
    }
    const grouped = placed.length > MAX_MARKERS;
    let list = placed;
    if (grouped) {
      const groups = new Map();
      for (const p of placed) {
        const key = p[0] + ' ' + p[1].shape + ' ' + p[1].position + ' ' + p[1].color;
        const g = groups.get(key);
        if (g) { g[2] += p[2]; g[3] += p[3]; g[4] += 1; } else groups.set(key, [p[0], Object.assign({}, p[1]), p[2], p[3], 1]);
      }
      list = Array.from(groups.values());
      list.forEach((g) => { g[1].text = g[4] > 1 ? String(g[4]) : ''; g[1].id = 'g' + g[0] + g[1].id; });
    }
    const candlesLoaded = view.barsLast - view.barsFirst + 1;
    const out = list.map((p) => Object.assign(p[1], { time: B.t[p[0]] }));
    // Labels while they fit: first those of events that are no trade signals go, then all.
    if (!grouped && out.length * 12 > candlesLoaded) {
      out.forEach((m) => { if (m.id[0] === 'e' && m.shape !== 'arrowUp' && m.shape !== 'arrowDown') m.text = ''; });
    }
    if (!grouped && out.length * 4 > candlesLoaded) out.forEach((m) => { m.text = ''; });
    out.sort((x, y) => x.time - y.time);
    markers.setMarkers(out);
    body.dataset.grouped = grouped ? '1' : '0';
    body.dataset.eventMarkers = String(list.reduce((n, p) => n + p[2], 0));
    body.dataset.tradeMarkers = String(list.reduce((n, p) => n + p[3], 0));
    body.dataset.markers = String(markers.markers().length);
  }

  // ---------------------------------------------------------------- drawings over the panes

  // A series primitive that draws with `drawBack` below the series and `drawFront` above.
  function makeOverlay(drawBack, drawFront) {
    let requestUpdate = null;
    const view = (zOrder, draw) => ({
      zOrder: () => zOrder,
      renderer: () => ({
        draw: (target) => target.useMediaCoordinateSpace((scope) => draw(scope.context, scope.mediaSize)),
      }),
    });
    const views = [view('bottom', drawBack)];
    if (drawFront) views.push(view('top', drawFront));
    return {
      attached(params) { requestUpdate = params.requestUpdate; },
      detached() { requestUpdate = null; },
      updateAllViews() {},
      paneViews() { return views; },
      requestUpdate() { if (requestUpdate) requestUpdate(); },
    };
  }

  function drawWindows(ctx, size) {
    if (!windows.length) return;
    const vt = visibleTimes();
    for (const w of windows) {
      if (vt && (w.test_last < vt[0] || w.train_first > vt[1])) continue;
      const x0 = xAt(w.train_first), x1 = xAt(w.test_first), x2 = xAt(w.test_last);
      if (x0 === null || x1 === null || x2 === null) continue;
      ctx.fillStyle = w.window % 2 ? 'rgba(9, 105, 218, 0.05)' : 'rgba(9, 105, 218, 0.09)';
      ctx.fillRect(x1, 0, Math.max(1, x2 - x1), size.height);
      ctx.strokeStyle = 'rgba(9, 105, 218, 0.5)';
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(Math.round(x1) + 0.5, 0);
      ctx.lineTo(Math.round(x1) + 0.5, size.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = 'rgba(9, 105, 218, 0.8)';
      ctx.font = '10px sans-serif';
      ctx.fillText('W' + w.window + ' test', x1 + 3, size.height - 4);
      ctx.fillStyle = 'rgba(140, 149, 159, 0.06)';
      ctx.fillRect(x0, 0, Math.max(1, x1 - x0), 4);
    }
  }

  const PHASE_ALPHA = { A: 0.07, B: 0.1, C: 0.15, D: 0.2, E: 0.25, NONE: 0.06 };
  function drawRanges(ctx) {
    const vt = visibleTimes();
    let drawn = 0;
    if (!vt) return;
    const visible = within(rangeIndex[view.symbol], vt[0], vt[1], MAX_DRAWN + 1);
    for (const r of visible.length <= MAX_DRAWN ? visible : []) {
      drawn += 1;
      r.segments.forEach((s, k) => {
        const next = k + 1 < r.segments.length ? r.segments[k + 1].time : r.until;
        const x0 = xAt(s.time), x1 = xAt(next);
        const y0 = candles.priceToCoordinate(s.resistance), y1 = candles.priceToCoordinate(s.support);
        if (x0 === null || x1 === null || y0 === null || y1 === null) return;
        const acc = s.kind === 'ACCUMULATION';
        const alpha = PHASE_ALPHA[s.phase] || 0.08;
        ctx.fillStyle = acc ? `rgba(38, 166, 154, ${alpha})` : `rgba(239, 83, 80, ${alpha})`;
        ctx.fillRect(x0, y0, Math.max(1, x1 - x0), y1 - y0);
        ctx.strokeStyle = acc ? 'rgba(38, 166, 154, 0.9)' : 'rgba(239, 83, 80, 0.9)';
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(x0, Math.round(y0) + 0.5); ctx.lineTo(x1, Math.round(y0) + 0.5);
        ctx.moveTo(x0, Math.round(y1) + 0.5); ctx.lineTo(x1, Math.round(y1) + 0.5);
        ctx.stroke();
        if (x1 - x0 > 26 && visible.length < 200) {
          ctx.fillStyle = acc ? 'rgba(0, 105, 92, 0.9)' : 'rgba(183, 28, 28, 0.9)';
          ctx.font = '10px sans-serif';
          ctx.fillText((k === 0 ? (acc ? 'Acc ' : 'Dist ') : '') + s.phase, x0 + 2, y0 - 3);
        }
      });
    }
    body.dataset.rangesDrawn = String(drawn);
  }

  function drawLines(ctx) {
    const vt = visibleTimes();
    if (!vt) return;
    ctx.lineWidth = 1;
    const trades = within(tradeIndex[view.symbol], vt[0], vt[1], MAX_DRAWN + 1);
    for (const t of trades.length <= MAX_DRAWN ? trades : []) {
      const x0 = xAt(t.entry_time), x1 = xAt(t.exit_time);
      if (x0 === null || x1 === null) continue;
      const line = (price, color, dash) => {
        if (price === null) return;
        const y = candles.priceToCoordinate(+price);
        if (y === null) return;
        ctx.strokeStyle = color;
        ctx.setLineDash(dash);
        ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
      };
      line(t.stop, 'rgba(207, 34, 46, 0.85)', [4, 3]);
      line(t.target, 'rgba(26, 127, 55, 0.85)', [4, 3]);
      const y0 = candles.priceToCoordinate(+t.entry_price), y1 = candles.priceToCoordinate(+t.exit_price);
      if (y0 !== null && y1 !== null) {
        ctx.strokeStyle = +t.pnl >= 0 ? 'rgba(41, 98, 255, 0.9)' : 'rgba(227, 98, 9, 0.9)';
        ctx.setLineDash([]);
        ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
      }
    }
    ctx.setLineDash([2, 2]);
    const visible = within(eventIndex[view.symbol], vt[0], vt[1], MAX_DRAWN + 1);
    for (const e of visible.length <= MAX_DRAWN ? visible : []) {  // denser: markers say enough
      if (e.level === null) continue;
      const x0 = xAt(e.pattern_time), x1 = xAt(e.confirm_time);
      const y = candles.priceToCoordinate(e.level);
      if (x0 === null || x1 === null || y === null) continue;
      ctx.strokeStyle = eventMarker(e).color;
      ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fillRect(x1 - 2, y - 2, 4, 4);
    }
    ctx.setLineDash([]);
  }

  const overlay = makeOverlay((ctx, size) => { drawWindows(ctx, size); drawRanges(ctx); }, drawLines);
  candles.attachPrimitive(overlay);
  const equityOverlay = makeOverlay(drawWindows, null);
  equityLine.attachPrimitive(equityOverlay);
  body.dataset.windowsDrawn = String(windows.length);

  // ---------------------------------------------------------------- following the user

  let pending = false;
  function onRangeChange() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const vt = visibleTimes();
      if (!vt) return;
      const p = periodFor(vt[0], vt[1]);
      const outside = view.windowed && (vt[0] < view.from || vt[1] > view.to);
      if (p !== view.period || outside) load(p, vt[0], vt[1]);
    });
  }
  timeScale.subscribeVisibleLogicalRangeChange(onRangeChange);

  function show(a, b) {
    view.period = -1;
    load(periodFor(a, b), a, b);
  }
  function showAll() {
    const [a, b] = dataSpan(view.symbol);
    show(a, b);
  }

  // Tooltip and legend.
  const tooltip = document.getElementById('tooltip'), legend = document.getElementById('legend');
  function tooltipItems(t0, t1) {
    const items = [];
    const inside = (t) => t >= t0 && t < t1;
    for (const e of within(eventIndex[view.symbol], t0, t1)) {
      if (!inside(e.pattern_time) && !inside(e.confirm_time)) continue;
      const d = {};
      for (const name of ['signal', 'entry', 'stop', 'target', 'reward_risk', 'status', 'not_tradeable', 'reason']) d[name] = detail(e, name);
      const lines = [[e.type, `pattern ${time(e.pattern_time)}, confirmed ${time(e.confirm_time)}`],
        ['level', number(e.level, 4) + (e.confidence !== null ? `, confidence ${number(e.confidence, 0)}` : '')]];
      if (d.signal) lines.push(['signal', `${d.signal} entry ${d.entry} stop ${d.stop} target ${d.target} (R/R ${d.reward_risk})`]);
      if (d.status) lines.push(['strategy', d.status]);
      else if (d.not_tradeable && d.signal) lines.push(['not tradeable', d.not_tradeable]);
      if (d.reason) lines.push(['note', d.reason]);
      items.push(lines);
    }
    for (const t of within(tradeIndex[view.symbol], t0, t1)) {
      if (inside(t.entry_time)) items.push([[`${t.direction === 'LONG' ? 'Buy' : 'Sell short'} ${t.quantity}`, `at ${t.entry_price} (${t.tag || 'no tag'})`], ['bracket', `stop ${t.stop ?? '-'}, target ${t.target ?? '-'}`]]);
      if (inside(t.exit_time)) items.push([[`Exit ${t.quantity}`, `at ${t.exit_price}`], ['P&L', `${t.pnl} (${t.r_multiple ?? '-'} R), ${t.bars_held} bars`]]);
    }
    return items;
  }
  chart.subscribeCrosshairMove((param) => {
    if (!param.point || param.logical === undefined || !view.axis.length) {
      tooltip.hidden = true;
      return;
    }
    const k = Math.max(0, Math.min(view.axis.length - 1, Math.round(param.logical)));
    const t0 = view.axis[k], t1 = k + 1 < view.axis.length ? view.axis[k + 1] : Infinity;
    const i = candleAt(t0);
    const B = view.bars;
    legend.textContent = D.symbols[view.symbol].name + '  ' + time(t0) +
      (i >= 0 && B.t[i] === t0 ? `  O ${B.o[i]}  H ${B.h[i]}  L ${B.l[i]}  C ${B.c[i]}  V ${B.v[i]}` : '');
    const items = tooltipItems(t0, t1);
    if (!items.length) { tooltip.hidden = true; return; }
    tooltip.replaceChildren();
    for (const lines of items.slice(0, 6)) {
      const div = el('div', null, 'item');
      lines.forEach(([label, text], n) => {
        if (n) div.appendChild(document.createElement('br'));
        div.appendChild(el('b', label));
        div.appendChild(document.createTextNode(' ' + text));
      });
      tooltip.appendChild(div);
    }
    tooltip.hidden = false;
    const x = param.point.x, y = param.point.y;
    tooltip.style.left = Math.min(x + 16, container.clientWidth - 370) + 'px';
    tooltip.style.top = Math.max(0, y + 16) + 'px';
  });

  // ---------------------------------------------------------------- tables

  // A table from `columns` ({name, value(row), numeric, cls(row)}) and rows; click a header to
  // sort, a row to call onRow.
  function fillTable(table, columns, rows, onRow, limit) {
    table.replaceChildren();
    const thead = el('thead'), tr = el('tr');
    columns.forEach((c) => tr.appendChild(el('th', c.name)));
    thead.appendChild(tr);
    const tbody = el('tbody');
    table.append(thead, tbody);
    let order = rows.slice();
    const render = () => {
      tbody.replaceChildren();
      const shown = limit ? order.slice(0, limit) : order;
      for (const row of shown) {
        const r = el('tr');
        for (const c of columns) {
          const v = c.value(row);
          r.appendChild(el('td', v, (c.numeric ? 'num ' : '') + (c.cls ? c.cls(row) : '')));
        }
        if (onRow) r.addEventListener('click', () => onRow(row));
        tbody.appendChild(r);
      }
      if (limit && order.length > limit) {
        const r = el('tr'), td = el('td', `${limit} of ${order.length} rows shown (all are in the data)`);
        td.colSpan = columns.length;
        r.appendChild(td);
        tbody.appendChild(r);
      }
    };
    if (table.classList.contains('sortable')) {
      Array.from(tr.children).forEach((th, k) => th.addEventListener('click', () => {
        const dir = th.dataset.sort === 'asc' ? 'desc' : 'asc';
        Array.from(tr.children).forEach((h) => delete h.dataset.sort);
        th.dataset.sort = dir;
        const c = columns[k], sign = dir === 'asc' ? 1 : -1;
        const key = (row) => { const v = c.sortValue ? c.sortValue(row) : c.value(row); return v === null || v === undefined ? '' : v; };
        order = rows.slice().sort((x, y) => {
          const a = key(x), b = key(y);
          if (isNumeric(a) && isNumeric(b)) return sign * (+a - +b);
          return sign * String(a).localeCompare(String(b));
        });
        render();
      }));
    }
    render();
  }

  function zoomTo(t0, t1, symbol) {
    if (symbol !== undefined && symbol !== view.symbol) selectSymbol(symbol);
    const pad = Math.max((t1 - t0) * 0.5, 20 * (bars[view.symbol].period || 86400));
    show(t0 - pad, t1 + pad);
    container.scrollIntoView({ behavior: 'instant', block: 'nearest' });
  }

  function tradesTable() {
    const cols = [
      { name: '#', value: (t) => t.index + 1, numeric: true },
      { name: 'symbol', value: (t) => D.symbols[t.symbol].name },
      { name: 'direction', value: (t) => t.direction },
      { name: 'tag', value: (t) => t.tag },
      { name: 'entry', value: (t) => time(t.entry_time), sortValue: (t) => t.entry_time },
      { name: 'entry price', value: (t) => number(t.entry_price), numeric: true },
      { name: 'exit', value: (t) => time(t.exit_time), sortValue: (t) => t.exit_time },
      { name: 'exit price', value: (t) => number(t.exit_price), numeric: true },
      { name: 'quantity', value: (t) => number(t.quantity), numeric: true },
      { name: 'P&L', value: (t) => number(t.pnl), numeric: true, cls: (t) => (+t.pnl >= 0 ? 'win' : 'loss') },
      { name: 'fees', value: (t) => number(t.fees), numeric: true },
      { name: 'bars', value: (t) => t.bars_held, numeric: true },
      { name: 'R', value: (t) => number(t.r_multiple), numeric: true },
      { name: 'stop', value: (t) => number(t.stop), numeric: true },
      { name: 'target', value: (t) => number(t.target), numeric: true },
    ];
    if (D.kind === 'walk-forward') {
      cols.push({ name: 'window', value: (t) => t.window, numeric: true });
      cols.push({ name: 'closed at window end', value: (t) => (t.closed_at_window_end ? 'yes' : '') });
    }
    fillTable(document.getElementById('trades'), cols, D.trades,
      (t) => zoomTo(t.entry_time, t.exit_time, t.symbol), 5000);
  }

  function eventsTable() {
    const d = (name) => (e) => detail(e, name);
    fillTable(document.getElementById('events'), [
      { name: '#', value: (e) => e.index + 1, numeric: true },
      { name: 'symbol', value: (e) => D.symbols[e.symbol].name },
      { name: 'type', value: (e) => e.type },
      { name: 'pattern', value: (e) => time(e.pattern_time), sortValue: (e) => e.pattern_time },
      { name: 'confirmed', value: (e) => time(e.confirm_time), sortValue: (e) => e.confirm_time },
      { name: 'level', value: (e) => number(e.level, 4), numeric: true },
      { name: 'confidence', value: (e) => number(e.confidence, 0), numeric: true },
      { name: 'range', value: d('range_id'), numeric: true },
      { name: 'phase', value: (e) => (detail(e, 'phase_before') ? `${detail(e, 'phase_before')} \u2192 ${detail(e, 'phase_after')}` : '') },
      { name: 'signal', value: d('signal') },
      { name: 'entry', value: d('entry'), numeric: true },
      { name: 'stop', value: d('stop'), numeric: true },
      { name: 'target', value: d('target'), numeric: true },
      { name: 'R/R', value: d('reward_risk'), numeric: true },
      { name: 'strategy', value: (e) => detail(e, 'status') || detail(e, 'not_tradeable') || detail(e, 'reason') },
    ], events, (e) => zoomTo(e.pattern_time, e.confirm_time, e.symbol), 5000);
  }

  function keyValueRows(table, pairs) {
    for (const [k, v] of pairs) {
      const tr = el('tr');
      tr.append(el('th', k), el('td', v));
      table.appendChild(tr);
    }
  }
  function scalarText(v) {
    if (v === null) return 'n/a';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(8));
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function summaryTables() {
    const s = D.summary || {};
    const summary = document.getElementById('summary'), params = document.getElementById('parameters');
    const nested = ['parameters', 'fixed_parameters', 'grid', 'settings', 'windows', 'best',
      'out_of_sample', 'data', 'symbols'];
    const pairs = [];
    for (const [k, v] of Object.entries(s)) {
      if (nested.includes(k) || k === 'digest') continue;
      pairs.push([k, scalarText(v)]);
    }
    if (s.out_of_sample) for (const [k, v] of Object.entries(s.out_of_sample)) pairs.push(['out of sample: ' + k, scalarText(v)]);
    if (s.best) {
      pairs.push(['best: parameters', scalarText(s.best.parameters)]);
      pairs.push(['best: score', scalarText(s.best.score)]);
      for (const [k, v] of Object.entries(s.best.metrics || {})) pairs.push(['best: ' + k, scalarText(v)]);
    }
    keyValueRows(summary, pairs);
    const p = [];
    if (s.strategy) p.push(['strategy', s.strategy]);
    for (const group of ['parameters', 'fixed_parameters', 'grid', 'settings']) {
      for (const [k, v] of Object.entries(s[group] || {})) p.push([`${group.replace('_', ' ')}: ${k}`, scalarText(v)]);
    }
    if (s.data) p.push(['data', scalarText(s.data)]);
    p.push(['symbols', D.symbols.map((x) => x.name).join(', ')]);
    p.push(['bars', D.symbols.map((x) => `${x.name} ${x.bars}` + (x.aggregated ? ` (in ${x.rows} rows of ${describePeriod(x.period)})` : '')).join(', ')]);
    if (s.digest) p.push(['digest', s.digest]);
    if (D.kind === 'optimize' && D.charted_run_digest) p.push(['digest of the charted run (the best combination)', D.charted_run_digest]);
    keyValueRows(params, p);
  }

  function windowsTable() {
    if (D.kind !== 'walk-forward') return;
    document.getElementById('windows-section').hidden = false;
    const sw = (D.summary && D.summary.windows) || [];
    fillTable(document.getElementById('windows'), [
      { name: '#', value: (w) => w.window, numeric: true },
      { name: 'train', value: (w) => `${time(w.train_first)} .. ${time(w.train_last)}` },
      { name: 'test', value: (w) => `${time(w.test_first)} .. ${time(w.test_last)}` },
      { name: 'chosen parameters', value: (w) => { const p = (sw[w.window - 1] || {}).parameters; return p ? Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ') : 'none: not traded'; } },
      { name: 'in-sample score', value: (w) => scalarText((sw[w.window - 1] || {}).in_sample_score ?? null), numeric: true },
      { name: 'out-of-sample score', value: (w) => scalarText((sw[w.window - 1] || {}).out_of_sample_score ?? null), numeric: true },
      { name: 'OOS net P&L', value: (w) => (((sw[w.window - 1] || {}).out_of_sample) || {}).net_profit, numeric: true },
      { name: 'OOS trades', value: (w) => (((sw[w.window - 1] || {}).out_of_sample) || {}).trades, numeric: true },
      { name: 'efficiency', value: (w) => scalarText((sw[w.window - 1] || {}).efficiency ?? null), numeric: true },
    ], windows, (w) => zoomTo(w.train_first, w.test_last));
  }

  function heatmap() {
    if (D.kind !== 'optimize' || !D.search) return;
    const names = D.search.parameters, rows = D.search.results;
    document.getElementById('results-section').hidden = false;
    const cols = [{ name: 'rank', value: (r) => r.rank, numeric: true }];
    names.forEach((n) => cols.push({ name: n, value: (r) => r.parameters[n], numeric: true }));
    cols.push({ name: 'score', value: (r) => scalarText(r.score), numeric: true, sortValue: (r) => (r.score === null ? -Infinity : r.score) },
      { name: 'net P&L', value: (r) => number(r.net_profit), numeric: true },
      { name: 'trades', value: (r) => r.trades, numeric: true },
      { name: 'Sharpe', value: (r) => scalarText(r.sharpe), numeric: true },
      { name: 'max DD', value: (r) => (r.max_drawdown * 100).toFixed(2) + '%', numeric: true, sortValue: (r) => r.max_drawdown });
    fillTable(document.getElementById('results'), cols, rows, null, 2000);
    if (!names.length) return;
    document.getElementById('heatmap-section').hidden = false;
    const xs = document.getElementById('heatmap-x'), ys = document.getElementById('heatmap-y');
    names.forEach((n) => { xs.appendChild(el('option', n)); ys.appendChild(el('option', n)); });
    xs.value = names[0];
    ys.value = names.length > 1 ? names[1] : names[0];
    const draw = () => {
      const xn = xs.value, yn = ys.value;
      const values = (n) => Array.from(new Set(rows.map((r) => r.parameters[n]))).sort((a, b) => (isNumeric(a) && isNumeric(b) ? +a - +b : String(a).localeCompare(String(b))));
      const xv = values(xn), yv = yn === xn ? [''] : values(yn);
      const best = new Map();
      for (const r of rows) {
        const key = r.parameters[xn] + '\u0000' + (yn === xn ? '' : r.parameters[yn]);
        if (!best.has(key) || (r.score !== null && (best.get(key).score === null || r.score > best.get(key).score))) best.set(key, r);
      }
      const scores = Array.from(best.values()).map((r) => r.score).filter((s) => s !== null);
      const lo = Math.min(...scores), hi = Math.max(...scores);
      const table = document.getElementById('heatmap');
      table.replaceChildren();
      const head = el('tr');
      head.appendChild(el('th', yn === xn ? xn : `${yn} \\ ${xn}`));
      xv.forEach((x) => head.appendChild(el('th', x)));
      table.appendChild(head);
      let cells = 0;
      for (const y of yv) {
        const tr = el('tr');
        tr.appendChild(el('th', y));
        for (const x of xv) {
          const r = best.get(x + '\u0000' + y);
          const td = el('td', r ? scalarText(r.score) : '');
          if (r && r.score !== null) {
            const f = hi > lo ? (r.score - lo) / (hi - lo) : 1;
            td.style.background = `hsl(${Math.round(f * 120)}, 70%, ${85 - f * 25}%)`;
            td.title = `${xn}=${x}${yn === xn ? '' : `, ${yn}=${y}`}: score ${scalarText(r.score)}, net P&L ${r.net_profit}, ${r.trades} trades (rank ${r.rank})`;
          } else if (r) {
            td.style.background = '#eaeef2';
            td.title = 'no score (too few trades, or undefined)';
          }
          if (r) cells += 1;
          tr.appendChild(td);
        }
        table.appendChild(tr);
      }
      body.dataset.heatmapCells = String(cells);
    };
    xs.addEventListener('change', draw);
    ys.addEventListener('change', draw);
    draw();
  }

  // ---------------------------------------------------------------- start

  function selectSymbol(s) {
    view.symbol = s;
    body.dataset.symbol = String(s);
    document.getElementById('symbol').value = String(s);
    showAll();
  }

  function start() {
    document.getElementById('title').textContent = D.title;
    document.getElementById('chart-library').textContent = D.chart_library;
    const select = document.getElementById('symbol');
    D.symbols.forEach((s, i) => { const o = el('option', s.name); o.value = String(i); select.appendChild(o); });
    if (D.symbols.length < 2) document.getElementById('symbol-control').hidden = true;
    select.addEventListener('change', () => selectSymbol(+select.value));
    document.getElementById('fit').addEventListener('click', showAll);
    const notes = [];
    if (D.aggregated) notes.push(`This run has more bars than the report keeps (${D.bar_limit}): they are stored aggregated, see the bars row below.`);
    if (D.kind === 'optimize') notes.push('The chart shows the run of the best combination.');
    if (D.kind === 'walk-forward') notes.push('The chart shows the out-of-sample test windows, stitched; shaded: the test windows.');
    document.getElementById('chart-note').textContent = notes.join(' ');
    summaryTables();
    tradesTable();
    eventsTable();
    windowsTable();
    heatmap();
    const hash = new URLSearchParams(location.hash.slice(1));
    const wanted = D.symbols.findIndex((s) => s.name === hash.get('symbol'));
    view.symbol = wanted >= 0 ? wanted : 0;
    body.dataset.symbol = String(view.symbol);
    select.value = String(view.symbol);
    const from = parseTime(hash.get('from')), to = parseTime(hash.get('to'));
    if (from !== null && to !== null && to > from) show(from, to); else showAll();
    requestAnimationFrame(() => requestAnimationFrame(() => { body.dataset.ready = '1'; }));
  }

  window.wyckoffReport = { data: D, chart, selectSymbol, show, showAll, view, xAt, timeAt, logicalAt };
  start();
})();
