/** A problem with what the user gave us (a file, a flag, a config). The CLI prints it on one line and exits 2. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `file:line:col: message`, the form editors and CI logs link. */
  get oneLine(): string {
    const where = [this.file, this.line, this.line === undefined ? undefined : this.column].filter(
      (part) => part !== undefined,
    );
    return `${where.join(':')}: ${this.message}`;
  }
}

/** A wrong flag or argument. The CLI prints it with a hint and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An input that needs a tool this machine lacks (e.g. the Bicep compiler): fatal for a named file, skipped in a folder scan. */
export class MissingToolError extends InputError {
  override name = 'MissingToolError';
}
