/**
 * Lambda's application log level (JSON log format): the runtime drops console calls below
 * the function's level. Node's runtime maps console.trace to TRACE, console.debug to DEBUG,
 * console.log and console.info to INFO, console.warn to WARN, console.error to ERROR.
 */
import { isLambdaLogLevel, LAMBDA_LOG_LEVELS as LEVELS, type LambdaLogLevel } from '../../rules/validation';

export type ApplicationLogLevel = LambdaLogLevel;

const METHOD_LEVELS = {
  trace: 'TRACE',
  debug: 'DEBUG',
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
} as const;
type ConsoleMethod = keyof typeof METHOD_LEVELS;

export const isApplicationLogLevel = isLambdaLogLevel;

/** The console methods a function at `level` may not write to. */
export function silencedMethods(level: ApplicationLogLevel): ConsoleMethod[] {
  const threshold = LEVELS.indexOf(level);
  return (Object.keys(METHOD_LEVELS) as ConsoleMethod[]).filter(
    (method) => LEVELS.indexOf(METHOD_LEVELS[method]) < threshold,
  );
}

/**
 * Silences those methods in this process, as Lambda does in the function's. The gateway's
 * own output does not go through console, so only the function's calls are affected.
 */
export function applyApplicationLogLevel(level: ApplicationLogLevel): void {
  for (const method of silencedMethods(level)) {
    console[method] = () => undefined;
  }
}
