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

export class DataError extends Error {
  readonly code: DataErrorCode;

  constructor(code: DataErrorCode, message: string) {
    super(message);
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
