# One image for every app of the production topology; docker-compose.yml picks the entry point.
# Build: docker build -t helpdesk .   (npm ci compiles better-sqlite3, hence the toolchain in the build stage)

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY projections ./projections
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
# A larger young generation: a command allocates briefly, and fewer scavenges keep tail latency down.
ENV NODE_OPTIONS=--max-semi-space-size=32
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The embedded all-in-one server unless a service says otherwise (api, projector, mail-gateway).
CMD ["node", "dist/apps/server/src/main.js"]
