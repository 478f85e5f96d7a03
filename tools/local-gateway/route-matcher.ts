/**
 * Route selection as API Gateway HTTP APIs do it: a route key is `METHOD /path` or `$default`;
 * `{name}` matches one segment, a trailing `{name+}` matches the rest; a method beats `ANY`;
 * the most specific path wins (a literal segment beats `{param}`, which beats `{proxy+}`);
 * `$default` catches what nothing else matches.
 */
export interface MatchedRoute<R> {
  readonly route: R;
  readonly pathParameters: Record<string, string> | undefined;
}

interface CompiledRoute<R> {
  readonly route: R;
  readonly method: string;
  readonly segments: readonly Segment[];
}

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };
const RANK = { literal: 0, param: 1, greedy: 2 } as const;

export class RouteMatcher<R extends { readonly routeKey: string }> {
  private readonly compiled: CompiledRoute<R>[] = [];
  private readonly defaultRoute: R | undefined;

  constructor(routes: readonly R[]) {
    let fallback: R | undefined;
    for (const route of routes) {
      if (route.routeKey === '$default') {
        fallback = route;
        continue;
      }
      const space = route.routeKey.indexOf(' ');
      const method = route.routeKey.slice(0, space).toUpperCase();
      const path = route.routeKey.slice(space + 1);
      this.compiled.push({ route, method, segments: parsePath(path) });
    }
    this.defaultRoute = fallback;
  }

  /** @param path the request path without the stage prefix, not decoded. */
  match(method: string, path: string): MatchedRoute<R> | undefined {
    const requestSegments = path.split('/').slice(1);
    let best: { candidate: CompiledRoute<R>; params: Record<string, string>; score: number[] } | undefined;
    for (const candidate of this.compiled) {
      if (candidate.method !== method && candidate.method !== 'ANY') continue;
      const params = matchSegments(candidate.segments, requestSegments);
      if (!params) continue;
      const score = [...candidate.segments.map((segment) => RANK[segment.kind]), candidate.method === 'ANY' ? 1 : 0];
      if (!best || compareScores(score, best.score) < 0) best = { candidate, params, score };
    }
    if (best) {
      return {
        route: best.candidate.route,
        pathParameters: Object.keys(best.params).length > 0 ? best.params : undefined,
      };
    }
    return this.defaultRoute ? { route: this.defaultRoute, pathParameters: undefined } : undefined;
  }
}

function parsePath(path: string): Segment[] {
  if (path === '/') return [{ kind: 'literal', value: '' }];
  return path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const greedy = /^\{([^}]+)\+\}$/.exec(part);
      if (greedy) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{([^}]+)\}$/.exec(part);
      if (param) return { kind: 'param', name: param[1] };
      return { kind: 'literal', value: part };
    });
}

function matchSegments(pattern: readonly Segment[], request: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i];
    if (segment.kind === 'greedy') {
      const rest = request.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = decode(rest.join('/'));
      return params;
    }
    const part = request[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = decode(part);
    }
  }
  return request.length === pattern.length ? params : undefined;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
