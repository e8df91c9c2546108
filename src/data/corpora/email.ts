/**
 * A small, forgiving e-mail reader for the SpamAssassin corpus: headers are dropped except the
 * Subject; for multipart messages the first text/plain part is used (else the first text/html);
 * quoted-printable and base64 bodies are decoded (bytes read as Latin-1); HTML is reduced to its
 * text; whitespace is collapsed and the body is cut to a number of characters.
 */
import { decodeHtmlEntities } from '../htmlEntities.ts';

interface Part {
  headers: Map<string, string>;
  body: string;
}

function parsePart(raw: string): Part {
  const text = raw.replace(/\r\n?/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 2);
  const headers = new Map<string, string>();
  let last = '';
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`);
    else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

/** Decodes quoted-printable text (soft line breaks, =XX bytes as Latin-1). */
export function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function decodeBase64(text: string): string {
  try {
    return atob(text.replace(/[^A-Za-z0-9+/=]/g, ''));
  } catch {
    return '';
  }
}

/** Decodes RFC 2047 encoded words (=?charset?Q|B?…?=) in a header, bytes read as Latin-1. */
export function decodeEncodedWords(header: string): string {
  return header.replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? decodeBase64(data) : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

/** Text of an HTML fragment: scripts and styles removed, tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  const noBlocks = html.replace(/<(script|style|head)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ');
  return decodeHtmlEntities(noBlocks.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]*>/g, ' '));
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding.includes('quoted-printable')) return decodeQuotedPrintable(part.body);
  if (encoding.includes('base64')) return decodeBase64(part.body);
  return part.body;
}

/** The readable text of a part: [text, isHtml] or null for attachments and other types. */
function partText(part: Part, depth: number): [string, boolean] | null {
  const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/') && depth < 4) {
    const boundary = /boundary\s*=\s*"?([^";]+)"?/i.exec(part.headers.get('content-type') ?? '')?.[1];
    if (!boundary) return [part.body, false];
    const pieces = part.body.split(`--${boundary}`).slice(1);
    const texts = pieces.map((p) => partText(parsePart(p.replace(/^\n/, '')), depth + 1)).filter((t): t is [string, boolean] => t !== null);
    return texts.find(([, html]) => !html) ?? texts[0] ?? null;
  }
  if (type.startsWith('text/html')) return [htmlToText(decodeBody(part)), true];
  if (type.startsWith('text/') || !part.headers.has('content-type')) {
    const body = decodeBody(part);
    return [/<html|<body|<p>|<br/i.test(body) ? htmlToText(body) : body, false];
  }
  return null;
}

/** Subject and body text of a raw e-mail, whitespace collapsed, body cut to maxBodyChars. */
export function readEmail(raw: string, maxBodyChars = 600): { subject: string; body: string } {
  const message = parsePart(raw);
  const subject = decodeEncodedWords(message.headers.get('subject') ?? '').replace(/\s+/g, ' ').trim();
  const body = (partText(message, 0)?.[0] ?? '').replace(/\s+/g, ' ').trim();
  return { subject, body: Array.from(body).slice(0, maxBodyChars).join('') };
}
