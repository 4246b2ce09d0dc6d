/** OpenNebula's error codes (include/Request.h). */
export const ErrorCode = {
  SUCCESS: 0x0,
  AUTHENTICATION: 0x100,
  AUTHORIZATION: 0x200,
  NO_EXISTS: 0x400,
  ACTION: 0x800,
  XML_RPC_API: 0x1000,
  INTERNAL: 0x2000,
  ALLOCATE: 0x4000,
  LOCKED: 0x8000,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The one error type of the project: a message that says what to fix, and OpenNebula's code. */
export class OneError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Id of the object that caused the error, -1 if none. */
    readonly objectId = -1,
  ) {
    super(message);
    this.name = 'OneError';
  }
}
