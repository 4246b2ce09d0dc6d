/** A document that is not well-formed XML, or not the XML-RPC that was expected. */
export class MalformedXmlRpcError extends Error {
  constructor(
    message: string,
    /** False when the text is not XML at all; true when it is XML but not the expected XML-RPC. */
    readonly wellFormed = true,
  ) {
    super(message);
    this.name = 'MalformedXmlRpcError';
  }
}

/** A `<fault>` answer: the server refused the call before running it (unknown method, bad XML, ...). */
export class XmlRpcFault extends Error {
  constructor(
    readonly code: number,
    readonly faultString: string,
  ) {
    super(`XML-RPC fault ${code}: ${faultString}`);
    this.name = 'XmlRpcFault';
  }
}
