# syntax=docker/dockerfile:1
# One image for the api and the worker:
#   docker run anpi api | worker | migrate
# CI cannot build images here (no base-image registry); `npm run check:production` runs these same
# steps outside a container on every CI run (docs/operations.md, "The production image").

# 1. Build: every dependency, the Prisma client generated into the source tree, TypeScript, the console.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only (npm runs no install scripts it has not been told to allow).
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 3. The image: built code, production dependencies, migrations; a user without privileges.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    NODE_OPTIONS=--max-old-space-size=256
WORKDIR /app
COPY --from=dependencies --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json prisma.config.ts ./
COPY --chown=root:root prisma ./prisma
COPY --chown=root:root scripts/anpi.mjs scripts/prisma.mjs scripts/prisma-exit-promptly.cjs ./scripts/
USER node
EXPOSE 3000 3001
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "scripts/anpi.mjs", "healthcheck"]
ENTRYPOINT ["node", "scripts/anpi.mjs"]
CMD ["api"]
