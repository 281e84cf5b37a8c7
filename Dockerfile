# stixgate container: multi-stage build, non-root runtime, data on a volume.
# Build stage compiles TypeScript, the review console (console/ → dist/console/, served at
# /console/) and the native better-sqlite3 addon; the runtime stage carries only production
# dependencies and dist/.
FROM node:26-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY console ./console
COPY stix-schemas ./stix-schemas
RUN npm run build && npm prune --omit=dev

FROM node:26-bookworm-slim
ENV NODE_ENV=production \
    STIXGATE_IN_CONTAINER=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/stix-schemas ./stix-schemas
# The TAXII resource schemas: /openapi.json embeds them (src/http/openapi/resource-schemas.ts).
COPY docs/schemas ./docs/schemas
COPY bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000
# /healthz answers without authentication and reports whether the store is reachable; the
# probe reads the same configuration as serve, so it follows PORT and speaks TLS when TLS is on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "dist/cli/main.js", "healthcheck"]
CMD ["node", "dist/cli/main.js", "serve"]
