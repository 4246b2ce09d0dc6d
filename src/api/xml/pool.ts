import { escapeTextToBytes } from '../xmlrpc/text.js';
import { EscapedText } from '../xmlrpc/values.js';

/** A pool document (`<VM_POOL>`, `<HOST_POOL>`, ...) around bodies already rendered. */
export function poolXml(root: string, bodies: readonly string[]): string {
  return `<${root}>${bodies.join('')}</${root}>`;
}

/**
 * A pool document as an already-escaped XML-RPC string, from bodies escaped one by one (and remembered
 * by the caller), so a large pool is not escaped again on every call.
 */
export function escapedPool(root: string, escapedBodies: readonly Buffer[]): EscapedText {
  return new EscapedText([Buffer.from(`&lt;${root}&gt;`), ...escapedBodies, Buffer.from(`&lt;/${root}&gt;`)]);
}

/** A document escaped for an XML-RPC `<string>` and encoded as UTF-8, ready for escapedPool. */
export function escapedBytes(xml: string): Buffer {
  return escapeTextToBytes(xml);
}
