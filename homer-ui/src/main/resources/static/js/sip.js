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
