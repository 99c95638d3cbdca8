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

const fixed = (v, digits = 1) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));

/**
 * The call's media diagnosis, first on the QoS tab: the verdicts in words, then one row per stream (what one side
 * received of the other), from GET .../qos, which load() fetches. Filled in when it answers, unless the page is gone.
 */
export function qosDiagnosis(load, signal) {
  const box = h('section', { class: 'qos-diagnosis', 'aria-live': 'polite' }, spinner('Rating the media…'));
  load().then((q) => { if (!signal.aborted) mount(box, ...diagnosis(q)); })
    .catch((e) => { if (!signal.aborted) mount(box, errorBox(e)); });
  return box;
}

function diagnosis(q) {
  const verdicts = q.verdicts.length
    ? h('ul', { class: 'verdicts' }, q.verdicts.map((v) => h('li', { class: `verdict bad ${v.code}` },
      h('strong', null, VERDICTS[v.code] || v.code), ': ', v.text)))
    : h('p', { class: 'verdict good' }, h('strong', null, 'Media looks good'), ': ',
      `${q.streams.length} stream${q.streams.length === 1 ? '' : 's'} within the thresholds (loss ${q.thresholds.lossPercent} %, `
      + `jitter ${q.thresholds.jitterMs} ms, round trip ${q.thresholds.rttMs} ms).`);
  const how = h('p', { class: 'hint' }, `Rated as ${q.codec.name}`,
    q.codec.fromSdp ? ' (the SDP answer’s codec)' : ' (assumed: the SDP names no codec)',
    ` with the ITU-T G.107 E-model, from ${q.reports} RTCP report${q.reports === 1 ? '' : 's'}`,
    q.unreadReports ? `; ${q.unreadReports} other QoS report${q.unreadReports === 1 ? '' : 's'} not rated` : '', '.');
  if (!q.streams.length) return [verdicts, how];
  const table = h('table', { class: 'list streams' },
    h('thead', null, h('tr', null, ['Stream (media from → to)', 'Reports', 'Loss % (mean / worst)', 'Jitter ms (mean / worst)',
      'Round trip ms', 'MOS (mean / worst)', 'MOS reported'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, q.streams.map((st) => h('tr', null,
      h('td', { class: 'mono', title: `SSRC ${st.sourceSsrc} reported by ${st.reporterSsrc}` }, `${st.from} → ${st.to}`),
      h('td', { class: 'num' }, String(st.reports)),
      h('td', { class: 'num' }, `${fixed(st.lossPercent)} / ${fixed(st.maxLossPercent)}`),
      h('td', { class: 'num' }, `${fixed(st.jitterMs)} / ${fixed(st.maxJitterMs)}`),
      h('td', { class: 'num' }, fixed(st.rttMs, 0)),
      h('td', { class: 'num' }, `${fixed(st.mos, 2)} / ${fixed(st.minMos, 2)}`),
      h('td', { class: 'num' }, fixed(st.reportedMos, 1))))));
  return [verdicts, how, h('div', { class: 'table-wrap' }, table)];
}

/** Charts and a table of the QoS reports; an empty state when there are none. The charts go with the page (signal). */
export function qosView(reports, signal) {
  if (!reports || !reports.length) return empty('No QoS reports were captured for this call.');
  const streams = new Map();
  const metrics = new Set();
  const points = reports.map((r) => {
    const values = flatten(r);
    Object.keys(values).forEach((k) => metrics.add(k));
    const name = streamName(r);
    if (!streams.has(name)) streams.set(name, streams.size);
    return { t: micros(r.timestamp) / 1e6, stream: name, values, r };
  }).filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const times = [...new Set(points.map((p) => p.t))];
  const names = [...streams.keys()];
  const colours = ['#1f6feb', '#bf3989', '#1a7f37', '#bc4c00', '#8250df', '#0a7ea4'];
  const charts = h('div', { class: 'charts' });
  for (const metric of metrics) {
    const data = [times, ...names.map((n) => times.map((t) => {
      const p = points.find((q) => q.t === t && q.stream === n && metric in q.values);
      return p ? p.values[metric] : null;
    }))];
    const box = h('figure', { class: 'chart' }, h('figcaption', null, metric));
    charts.appendChild(box);
    requestAnimationFrame(() => {
      if (signal.aborted) return;
      // uPlot builds its DOM with createElement/textContent and styles via CSSOM (allowed by our CSP).
      const axis = timeAxis(uPlot);
      const plot = new uPlot({
        width: Math.max(320, Math.min(560, box.clientWidth || 480)), height: 180, tzDate: axis.tzDate,
        series: [{}, ...names.map((n, i) => ({ label: n, stroke: colours[i % colours.length], width: 2, spanGaps: true, points: { show: true } }))],
        scales: { x: axis.x },
      }, data, box);
      // uPlot keeps every chart in a global set, listening on window, until it is destroyed.
      signal.addEventListener('abort', () => plot.destroy(), { once: true });
    });
  }
  const table = h('table', { class: 'list' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Stream'), [...metrics].map((m) => h('th', { scope: 'col' }, m)))),
    h('tbody', null, points.map((p) => h('tr', null,
      h('td', { title: utcTitle(p.r.timestamp) }, formatLocal(p.r.timestamp)), h('td', { class: 'mono' }, p.stream),
      [...metrics].map((m) => h('td', { class: 'num' }, m in p.values ? String(p.values[m]) : ''))))));
  return h('div', { class: 'qos' }, metrics.size ? charts : null, h('div', { class: 'table-wrap' }, table));
}
