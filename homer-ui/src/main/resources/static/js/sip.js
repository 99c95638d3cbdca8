// Splits a captured SIP message into start line, headers and body for display. The text is
// attacker-controlled: callers render every part with text nodes only.

/** The message text: UTF-8 as stored, or base64 decoded (invalid UTF-8 shown as U+FFFD). */
export function rawText(msg) {
  if (!msg || msg.raw === undefined || msg.raw === null) return '';
  if (msg.rawEncoding === 'base64') {
    try {
      const bin = atob(msg.raw);
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    } catch {
      return '';
    }
  }
  return String(msg.raw);
}

/** { startLine, headers: [{name, value}], body } of SIP text; folded header lines are joined. */
export function parseSip(text) {
  const sep = text.search(/\r?\n\r?\n/);
  const head = sep < 0 ? text : text.slice(0, sep);
  const body = sep < 0 ? '' : text.slice(sep).replace(/^\r?\n\r?\n/, '');
  const lines = head.split(/\r?\n/);
  const startLine = lines.shift() || '';
  const headers = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length) {
      headers[headers.length - 1].value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) headers.push({ name: '', value: line });
    else headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { startLine, headers, body };
}

/** "180 Ringing" of a response start line, else the method; max 32 characters. */
export function label(msg, text) {
  let out;
  if (msg.status) {
    const m = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/.exec((text || '').split(/\r?\n/, 1)[0] || '');
    out = m ? `${m[1]} ${m[2]}`.trim() : String(msg.status);
  } else {
    out = msg.method || (text || '').split(/\s/, 1)[0] || msg.protoType || '?';
  }
  return out.length > 32 ? out.slice(0, 31) + '…' : out;
}

/** Headers whose names are shown highlighted: the ones a ladder is read with. */
export const KEY_HEADERS = new Set(['call-id', 'i', 'from', 'f', 'to', 't', 'cseq', 'via', 'v', 'contact', 'm',
  'user-agent', 'server', 'reason', 'x-cid', 'p-asserted-identity', 'record-route', 'route']);

/** The class of a final response in words (RFC 3261 §21), shown beside its colour; null below 400. */
export function failureKind(status) {
  const n = Number(status);
  if (n >= 600 && n < 700) return 'global failure';
  if (n >= 500) return 'server error';
  if (n >= 400) return 'client error';
  return null;
}

// RTP/AVP static payload types (RFC 3551 table 4), for an m= line without a=rtpmap
const STATIC_RTP = { 0: 'PCMU', 3: 'GSM', 4: 'G723', 8: 'PCMA', 9: 'G722', 13: 'CN', 18: 'G729' };
const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/**
 * What an SDP body in the message offers or answers (RFC 4566): the first media line's first codec and the
 * direction attribute (RFC 3264 §5.1; the media line's own, else the session's), or null without SDP.
 * { codec: 'PCMA', direction: 'sendonly' | null }
 */
export function sdpOf(text) {
  const { headers, body } = parseSip(text || '');
  const type = headers.find((x) => /^(content-type|c)$/i.test(x.name));
  if (!body || !(type ? /application\/sdp|multipart\//i.test(type.value) : /^v=0/m.test(body))) return null;
  const lines = body.split(/\r?\n/);
  const first = lines.findIndex((l) => l.startsWith('m='));
  if (first < 0 && !/^v=0/m.test(body)) return null;
  const session = first < 0 ? lines : lines.slice(0, first);
  let end = lines.findIndex((l, i) => i > first && l.startsWith('m='));
  if (end < 0) end = lines.length;
  const media = first < 0 ? [] : lines.slice(first, end);
  const direction = (ls) => ls.map((l) => /^a=([a-z]+)\s*$/.exec(l)).find((m) => m && DIRECTIONS.has(m[1]))?.[1] || null;
  let codec = null;
  if (media.length) {
    const pt = media[0].trim().split(/\s+/)[3];
    const map = media.map((l) => /^a=rtpmap:(\d+)\s+([^/\s]+)/.exec(l)).find((m) => m && m[1] === pt);
    codec = map ? map[2] : (STATIC_RTP[pt] || (pt !== undefined ? `PT ${pt}` : null));
  }
  return { codec, direction: direction(media) || direction(session) };
}
