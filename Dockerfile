# syntax=docker/dockerfile:1
# Onramp production image: a multi-stage build of the Next.js standalone output behind server.mjs.
#   docker build -t onramp --build-arg NEXT_SERVER_ACTIONS_ENCRYPTION_KEY="$(openssl rand -base64 32)" .
# Pass the same NEXT_SERVER_ACTIONS_ENCRYPTION_KEY at run time (and to every instance and later build).
# Migrations run when the container starts (under a Postgres advisory lock).

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm install, not npm ci: the lockfile lists only the @next/swc-* binary of the platform it was made on.
RUN npm install --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
ARG NEXT_SERVER_ACTIONS_ENCRYPTION_KEY
ENV NEXT_SERVER_ACTIONS_ENCRYPTION_KEY=${NEXT_SERVER_ACTIONS_ENCRYPTION_KEY}
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/.data
RUN groupadd --system --gid 1001 onramp && useradd --system --uid 1001 --gid onramp --home /app onramp
# The standalone server and the node_modules it needs; static assets, migrations and server.mjs beside it.
COPY --from=build --chown=onramp:onramp /app/.next/standalone ./
COPY --from=build --chown=onramp:onramp /app/.next/static ./.next/static
COPY --from=build --chown=onramp:onramp /app/db/migrations ./db/migrations
COPY --from=build --chown=onramp:onramp /app/server.mjs ./server.mjs
RUN mkdir -p /app/.data && chown onramp:onramp /app/.data
USER onramp
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server.mjs"]
