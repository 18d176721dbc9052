export function mergeCommand(_a: string[]): number { return 0; }
