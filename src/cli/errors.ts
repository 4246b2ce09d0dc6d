/** A failure the user caused or can fix; its message is printed alone, on one line, before exiting 255. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The daemon refused a call: `[false, message, code, ...]`. The message is OpenNebula's, e.g. `[one.vm.action] ...`. */
export class OneApiError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly objectId = -1,
  ) {
    super(message);
    this.name = 'OneApiError';
  }
}
