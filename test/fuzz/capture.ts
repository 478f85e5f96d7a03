/**
 * Everything a process writes while a fuzz case runs: console calls (a function's logs when it
 * runs in this process) and raw stdout/stderr writes (a gateway that relays a child's logs).
 * Nothing is printed, so hundreds of cases do not flood the test output.
 */
const METHODS = ['trace', 'debug', 'log', 'info', 'warn', 'error'] as const;

export interface CapturedOutput {
  /** Everything written since `mark()` (or since the capture started). */
  since(mark: number): string;
  mark(): number;
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  const written: string[] = [];
  const spies = [
    ...METHODS.map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        written.push(args.map(asText).join(' '));
      }),
    ),
    ...[process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        written.push(asText(chunk));
        return true;
      }),
    ),
  ];
  return {
    mark: () => written.length,
    since: (mark) => written.slice(mark).join('\n'),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
