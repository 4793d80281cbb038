import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The app's attack surface, read from the source and the build: every server action export
 * ('use server' files) and every route handler method (route.ts).
 */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const SOURCE_FILES = () => walk('app').filter((f) => /\.(ts|tsx)$/.test(f));

export interface ActionRef {
  file: string;
  name: string;
  id: string;
  /** A page path that loads the action. */
  path: string;
}

export function listSourceActions(): { file: string; name: string }[] {
  return SOURCE_FILES()
    .filter((f) => /^\s*(['"])use server\1/.test(readFileSync(f, 'utf8')))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/export\s+(?:const|async\s+function|function)\s+(\w+)/g)].map((m) => ({
        file: file.split(path.sep).join('/'),
        name: m[1]!,
      })),
    );
}

function pagePathOf(worker: string): string {
  const segments = worker
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? 'x' : s));
  return `/${segments.join('/')}`;
}

export function listBuiltActions(): ActionRef[] {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    file: entry.filename,
    name: entry.exportedName,
    path: pagePathOf(Object.keys(entry.workers)[0]!),
  }));
}

export function listRouteHandlers(): { file: string; route: string; methods: string[] }[] {
  return SOURCE_FILES()
    .filter((f) => /(^|\/)route\.ts$/.test(f.split(path.sep).join('/')))
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      const methods = new Set<string>();
      for (const m of text.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
      for (const m of text.matchAll(/export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\s*=/g)) methods.add(m[1]!);
      for (const m of text.matchAll(/export\s+const\s+\{([^}]*)\}/g)) {
        for (const name of m[1]!.split(',').map((s) => s.trim())) if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(name)) methods.add(name);
      }
      const norm = file.split(path.sep).join('/');
      return { file: norm, route: pagePathOf(norm.replace(/\/route\.ts$/, '/page')), methods: [...methods] };
    });
}
