/**
 * Renders a claim or header value for an error message. Values come from untrusted tokens:
 * a 1 MB `iss` must not become a 1 MB message or header, so long values are cut.
 */
export function show(value: unknown, max = 120): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

/**
 * Makes text safe inside a quoted HTTP header parameter: printable ASCII only, no `"` or `\`
 * (Node refuses header values with control characters, and a quote would end the parameter).
 */
export function headerSafe(text: string): string {
  return text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
}
