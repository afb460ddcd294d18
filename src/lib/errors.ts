// The one error type every layer may throw for a failure the user can fix.

/** A failure the user can fix: printed as one line, exit code 2 (bad input) or 1. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
