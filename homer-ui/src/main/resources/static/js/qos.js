import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { h, empty, mount, spinner, errorBox } from './dom.js';
import { micros, formatLocal, utcTitle, timeAxis } from './time.js';
import { rawText } from './sip.js';

// QoS reports (RTCP, RTP agent stats) of a call: one chart per numeric metric, one series per stream.

const SKIP = new Set(['srcPort', 'dstPort', 'captureId', 'id', 'size', 'ssrc', 'protoType', 'payloadType']);

function streamName(r) {
  if (r.srcIp || r.dstIp) return `${r.srcIp ?? '?'}:${r.srcPort ?? ''} → ${r.dstIp ?? '?'}:${r.dstPort ?? ''}`;
  return String(r.ssrc ?? r.type ?? 'stream');
}

/** Numeric fields of a report: its own, and those of its payload when that is JSON (RTCP/RTP stats as the agent sent them). */
function flatten(report) {
  const out = {};
  const walk = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj || {})) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'number' && Number.isFinite(v) && !SKIP.has(k)) out[key] = v;
      else if (v && typeof v === 'object') walk(v, key);
    }
  };
  const { raw, rawEncoding, ...own } = report;
  walk(own, '');
  if (raw !== undefined && raw !== null) {
    try {
      const payload = JSON.parse(rawText(report));
      if (payload && typeof payload === 'object') walk(payload, '');
    } catch { /* not JSON: no metrics from the payload */ }
  }
  return out;
}

const VERDICTS = {
  one_way_audio: 'One-way audio', high_loss: 'Packet loss', high_jitter: 'Jitter', high_rtt: 'Round trip',
  no_media_reports: 'No media reports',
};

/** A MOS in a word: good from 4, fair from 3.6, else poor (ITU-T G.107 Annex B's satisfaction bands, rounded). */
export function mosGrade(mos) {
  return mos === null || mos === undefined ? null : mos >= 4 ? 'good' : mos >= 3.6 ? 'fair' : 'poor';
}

/**
 * A call record's media in one cell (the call list, the call's summary): its MOS with its grade in words, and its
 * verdicts named; "no reports" when media was due and none came, empty without anything to say.
 */
export function mediaCell(mos, verdicts) {
  const named = (verdicts || []).filter((v) => v !== 'no_media_reports').map((v) => VERDICTS[v] || v);
  if (mos === null || mos === undefined) {
    return (verdicts || []).includes('no_media_reports') ? h('span', { class: 'muted', title: 'Answered, but no media report was captured' }, 'no reports') : null;
  }
  const grade = mosGrade(mos);
  return h('span', { class: ['mos', grade], title: `MOS ${fixed(mos, 2)} (${grade}), the worse direction's mean` },
    fixed(mos, 2), named.length ? h('span', { class: 'verdict-names' }, ' · ', named.join(', ')) : null);
}

const fixed = (v, digits = 1) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));

/**
 * The call's media diagnosis, first on the QoS tab: the verdicts in words, then one row per stream (what one side
 * received of the other), from GET .../qos, which load() fetches. Filled in when it answers, unless the page is gone.
 */
export function qosDiagnosis(load, signal, changes = []) {
  const box = h('section', { class: 'qos-diagnosis', 'aria-live': 'polite' }, spinner('Rating the media…'));
  load().then((q) => { if (!signal.aborted) mount(box, ...diagnosis(q, signal, changes)); })
    .catch((e) => { if (!signal.aborted) mount(box, errorBox(e)); });
  return box;
}

function diagnosis(q, signal, changes) {
  const verdicts = q.verdicts.length
    ? h('ul', { class: 'verdicts' }, q.verdicts.map((v) => h('li', { class: `verdict bad ${v.code}` },
      h('strong', null, VERDICTS[v.code] || v.code), ': ', v.text)))
    : h('p', { class: 'verdict good' }, h('strong', null, 'Media looks good'), ': ',
      `${q.streams.length} stream${q.streams.length === 1 ? '' : 's'} within the thresholds (loss ${q.thresholds.lossPercent} %, `
      + `jitter ${q.thresholds.jitterMs} ms, round trip ${q.thresholds.rttMs} ms).`);
  const how = h('p', { class: 'hint' }, `Rated as ${q.codec.name}`,
    q.codec.fromSdp ? ' (the SDP answer’s codec)' : ' (assumed: the SDP names no codec)',
    ` with the ITU-T G.107 E-model, from ${q.reports} media report${q.reports === 1 ? '' : 's'}`,
    q.unreadReports ? `; ${q.unreadReports} other QoS report${q.unreadReports === 1 ? '' : 's'} not rated` : '', '.');
  if (!q.streams.length) return [verdicts, how];
  const table = h('table', { class: 'list streams' },
    h('thead', null, h('tr', null, ['Stream (media from → to)', 'Reports', 'Packets received / expected',
      'Loss % (mean / worst)', 'Jitter ms (mean / worst)',
      'Round trip ms', 'MOS (mean / worst)', 'MOS reported'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, q.streams.map((st) => h('tr', null,
      h('td', { class: 'mono', title: `SSRC ${st.sourceSsrc} reported by ${st.reporterSsrc}` }, `${st.from} → ${st.to}`),
      h('td', { class: 'num' }, String(st.reports)),
      h('td', { class: 'num', title: 'between the stream’s first and last report' },
        st.packetsExpected == null ? '–' : `${st.packetsReceived} / ${st.packetsExpected}`),
      h('td', { class: 'num' }, `${fixed(st.lossPercent)} / ${fixed(st.maxLossPercent)}`),
      h('td', { class: 'num' }, `${fixed(st.jitterMs)} / ${fixed(st.maxJitterMs)}`),
      h('td', { class: 'num' }, fixed(st.rttMs, 0)),
      h('td', { class: 'num' }, `${fixed(st.mos, 2)} / ${fixed(st.minMos, 2)}`),
      h('td', { class: 'num' }, fixed(st.reportedMos, 1))))));
  return [verdicts, how, h('div', { class: 'table-wrap' }, table), streamCharts(q, signal, changes)];
}

const COLOURS = ['#1f6feb', '#bf3989', '#1a7f37', '#bc4c00', '#8250df', '#0a7ea4'];

/**
 * One chart per figure of the streams' reports (GET .../qos series: loss, jitter, round trip, MOS), a line per
 * stream and the threshold its verdict uses drawn dashed (MOS: poor below 3.6), units in the title, the time axis in
 * the chosen zone (one report: two minutes around it). Round trip only when a report had one.
 */
function streamCharts(q, signal, changes) {
  const withSeries = q.streams.filter((st) => (st.series || []).length);
  if (!withSeries.length) return null;
  // where a re-INVITE may have moved the media: a dotted line on every chart, named below them
  const marks = changes.map((c) => ({ ...c, t: micros(c.timestamp) / 1e6 }));
  const drawMarks = (u) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = '#6e7781';
    ctx.setLineDash([2, 3]);
    for (const m of marks) {
      const x = Math.round(u.valToPos(m.t, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  };
  const times = [...new Set(withSeries.flatMap((st) => st.series.map((p) => p.atMicros / 1e6)))].sort((a, b) => a - b);
  const figures = [
    { id: 'loss', title: 'Loss (%)', value: (p) => p.lossPercent, threshold: q.thresholds.lossPercent, label: `high loss above ${q.thresholds.lossPercent} %`, min: 0 },
    { id: 'jitter', title: 'Jitter (ms)', value: (p) => p.jitterMs, threshold: q.thresholds.jitterMs, label: `high jitter above ${q.thresholds.jitterMs} ms`, min: 0 },
    { id: 'rtt', title: 'Round trip (ms)', value: (p) => p.rttMs, threshold: q.thresholds.rttMs, label: `high above ${q.thresholds.rttMs} ms`, min: 0 },
    { id: 'mos', title: 'MOS (E-model, 1 to 4.5)', value: (p) => p.mos, threshold: 3.6, label: 'poor below 3.6', min: 1, max: 4.5 },
  ].filter((f) => withSeries.some((st) => st.series.some((p) => f.value(p) !== null && f.value(p) !== undefined)));
  const charts = h('div', { class: 'charts stream-charts' });
  for (const f of figures) {
    const data = [times, ...withSeries.map((st) => times.map((t) => {
      const p = st.series.find((x) => x.atMicros / 1e6 === t);
      const v = p ? f.value(p) : null;
      return v === undefined ? null : v;
    })), times.map(() => f.threshold)];
    const box = h('figure', { class: 'chart', id: `qos-chart-${f.id}` }, h('figcaption', null, f.title));
    charts.appendChild(box);
    requestAnimationFrame(() => {
      if (signal.aborted) return;
      const axis = timeAxis(uPlot);
      const top = Math.max(f.threshold, ...data.slice(1, -1).flat().filter((v) => v !== null));
      const plot = new uPlot({
        width: Math.max(320, Math.min(560, box.clientWidth || 480)), height: 180, tzDate: axis.tzDate,
        series: [{}, ...withSeries.map((st, i) => ({ label: `${st.from} → ${st.to}`, stroke: COLOURS[i % COLOURS.length], width: 2,
          spanGaps: true, points: { show: true } })),
        { label: f.label, stroke: '#cf222e', dash: [6, 4], width: 1, points: { show: false } }],
        scales: { x: axis.x, y: { range: () => [f.min, f.max ?? top * 1.15 + 0.001] } },
        hooks: { draw: [drawMarks] },
      }, data, box);
      signal.addEventListener('abort', () => plot.destroy(), { once: true });
    });
  }
  if (!marks.length) return charts;
  return h('div', null, charts, h('p', { class: 'hint chart-marks' }, 'Dotted lines: ',
    marks.map((m, i) => [i ? '; ' : '', m.label, ' at ', h('time', { title: utcTitle(m.timestamp) }, formatLocal(m.timestamp))])));
}

/** The QoS reports as captured (every field of their JSON), folded under the diagnosis; an empty state when there are none. */
export function qosView(reports) {
  if (!reports || !reports.length) return empty('No QoS reports were captured for this call.');
  const metrics = new Set();
  const points = reports.map((r) => {
    const values = flatten(r);
    Object.keys(values).forEach((k) => metrics.add(k));
    return { t: micros(r.timestamp) / 1e6, stream: streamName(r), values, r };
  }).filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const table = h('table', { class: 'list' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Stream'), [...metrics].map((m) => h('th', { scope: 'col' }, m)))),
    h('tbody', null, points.map((p) => h('tr', null,
      h('td', { title: utcTitle(p.r.timestamp) }, formatLocal(p.r.timestamp)), h('td', { class: 'mono' }, p.stream),
      [...metrics].map((m) => h('td', { class: 'num' }, m in p.values ? String(p.values[m]) : ''))))));
  // the reports as captured, every field of their JSON: the charts above are the rated figures
  return h('details', { class: 'qos raw-reports' }, h('summary', null, `The ${points.length} reports as captured`),
    h('div', { class: 'table-wrap' }, table));
}
