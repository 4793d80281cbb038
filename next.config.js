// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // .next/standalone: a self-contained server with only the node_modules it needs (see Dockerfile).
  // server.mjs runs from there too; db/migrations, public/ and .next/static are copied beside it.
  output: 'standalone',
  outputFileTracingIncludes: { '/*': ['./db/migrations/**/*'] },
  reactStrictMode: true,
  // Native, WASM or Node-only packages stay outside the server bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', '@node-rs/argon2', 'twilio', 'ldapts', 'nodemailer'],
  experimental: {
    serverActions: { bodySizeLimit: '1mb' },
  },
  async headers() {
    // Baseline headers for every response. proxy.ts adds a per-request nonce CSP on pages; this
    // policy still applies when the proxy is absent (browsers enforce every CSP header they get).
    const csp = [
      "default-src 'self'",
      "base-uri 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "img-src 'self' data:",
      "style-src 'self' 'unsafe-inline'",
      `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'production' ? '' : " 'unsafe-eval'"}`,
      "connect-src 'self'",
      "font-src 'self'",
    ].join('; ');
    const common = [
      { key: 'Content-Security-Policy', value: csp },
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'no-referrer' },
      { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
      { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    ];
    return [
      { source: '/:path*', headers: common },
      {
        source: '/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }],
      },
    ];
  },
};

module.exports = nextConfig;
