/**
 * DataError: the one error type the data layer throws for bad user input (an empty file, a
 * missing column, …). `code` lets the UI react; `message` is written for the person at the screen.
 */

export type DataErrorCode =
  | 'empty-file'
  | 'no-data-rows'
  | 'file-too-large'
  | 'missing-column'
  | 'invalid-mapping'
  | 'single-class'
  | 'no-usable-rows'
  | 'too-few-rows'
  | 'parse-error';

/** A value from the file, for a message: line breaks and control characters made visible, long text cut. */
export function shortValue(value: unknown, max = 60): string {
  const s = String(value).replace(/\r\n|[\r\n]/g, '⏎').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Column names for a message: the first few, each cut. */
export function columnList(columns: readonly string[], max = 8): string {
  const shown = columns.slice(0, max).map((c) => shortValue(c, 40));
  return columns.length > max ? `${shown.join(', ')} and ${columns.length - max} more` : shown.join(', ');
}

export class DataError extends Error {
  readonly code: DataErrorCode;

  constructor(code: DataErrorCode, message: string) {
    // One line, of a readable length, whatever the file holds.
    super(message.replace(/\s*[\r\n]+\s*/g, ' ').slice(0, 900));
    this.name = 'DataError';
    this.code = code;
  }
}

/** "1.5 KB", "120.0 MB": binary units (1 KB = 1024 bytes), as file dialogs show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
