// HEP payload types (HEP3 chunk 0x000b), as capture agents send them: the name is shown, the number on hover.

const PAYLOAD_TYPES = new Map([
  [1, 'SIP'], [2, 'XMPP'], [3, 'SDP'], [4, 'RTP'], [5, 'RTCP'], [6, 'MGCP'], [7, 'MEGACO/H.248'],
  [8, 'M2UA'], [9, 'M3UA'], [10, 'IAX'], [11, 'H.322'], [12, 'H.321'], [13, 'M2PA'],
  [34, 'RTP agent report'], [35, 'RTCP-XR report'], [38, 'horaclifix'], [50, 'SIP (JSON)'], [53, 'DNS'],
  [54, 'ISUP'], [55, 'RTSP'], [56, 'Diameter'], [57, 'GSM MAP'], [58, 'RTCP (Pion)'], [60, 'CDR'], [100, 'Log'],
]);

/** { name, title } of a HEP payload type number: "SIP" / "HEP payload type 1"; unknown numbers keep the number as the name. */
export function payloadType(value) {
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n)) return { name: String(value), title: 'HEP payload type' };
  return { name: PAYLOAD_TYPES.get(n) ?? `type ${n}`, title: `HEP payload type ${n}` };
}
