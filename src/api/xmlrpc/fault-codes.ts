/**
 * Fault codes for calls refused before any method runs, from the XML-RPC fault-code
 * interoperability convention (the -32xxx family; OpenNebula's own errors travel in the response
 * array instead, never as faults).
 */
export const FaultCode = {
  /** The body is not well-formed XML. */
  PARSE_ERROR: -32700,
  /** Well-formed, but not an XML-RPC call (or a call too large to read). */
  INVALID_REQUEST: -32600,
  /** No method of that name. */
  METHOD_NOT_FOUND: -32601,
} as const;
export type FaultCode = (typeof FaultCode)[keyof typeof FaultCode];
