// Vitest runs outside React's server environment; `server-only` would throw there. Tests alias it here.
export {};
